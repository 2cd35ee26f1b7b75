/*
 * format.c - what writer and loader must agree on beyond the layout in
 * image.h: the version string and the two hashes.
 */
#include <stdio.h>
#include <string.h>
#include <xxhash.h>

#include "snap/image.h"

void img_version(char out[IMG_VERSION_LEN + 1], uint64_t module_hash)
{
    memset(out, 0, IMG_VERSION_LEN + 1);
    snprintf(out, IMG_VERSION_LEN + 1, "b8g-image/%d engine/%s module/xxh3:%016llx",
             IMG_FORMAT, B8G_VERSION, (unsigned long long)module_hash);
}

uint64_t img_checksum(const uint8_t *bytes, size_t len)
{
    static const uint8_t zero[8];
    XXH3_state_t *st = XXH3_createState();
    if (!st) return 0; /* cannot allocate: every image then reads as bad */
    XXH3_64bits_reset(st);
    size_t a = len < IMG_OFF_CHECKSUM ? len : IMG_OFF_CHECKSUM;
    XXH3_64bits_update(st, bytes, a);
    if (len > IMG_OFF_CHECKSUM) {
        size_t z = len - IMG_OFF_CHECKSUM < 8 ? len - IMG_OFF_CHECKSUM : 8;
        XXH3_64bits_update(st, zero, z);
        if (len > IMG_OFF_CHECKSUM + 8)
            XXH3_64bits_update(st, bytes + IMG_OFF_CHECKSUM + 8, len - IMG_OFF_CHECKSUM - 8);
    }
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

uint64_t img_hash(const uint8_t *bytes, size_t len)
{
    return XXH3_64bits(bytes, len);
}
