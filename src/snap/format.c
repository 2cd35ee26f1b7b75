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

/* XXH3-64 of bytes[0..len) with the 8 bytes at `at` read as zero. */
static uint64_t hash_without(const uint8_t *bytes, size_t len, size_t at)
{
    static const uint8_t zero[8];
    XXH3_state_t *st = XXH3_createState();
    if (!st) return 0; /* cannot allocate: every image then reads as bad */
    XXH3_64bits_reset(st);
    size_t a = len < at ? len : at;
    XXH3_64bits_update(st, bytes, a);
    if (len > at) {
        size_t z = len - at < 8 ? len - at : 8;
        XXH3_64bits_update(st, zero, z);
        if (len > at + 8) XXH3_64bits_update(st, bytes + at + 8, len - at - 8);
    }
    uint64_t h = XXH3_64bits_digest(st);
    XXH3_freeState(st);
    return h;
}

uint64_t img_checksum(const uint8_t *bytes, size_t len)
{
    return hash_without(bytes, len, IMG_OFF_CHECKSUM);
}

uint64_t img_code_checksum(const uint8_t *code, size_t len)
{
    return hash_without(code, len, IMG_CODE_OFF_SUM);
}

uint64_t img_code_fits(uint64_t off, uint64_t n, uint64_t file_len)
{
    bool fits = n && off >= IMG_HEADER_LEN(1) && off % 8 == 0 && off <= file_len &&
                n == file_len - off;
    return fits ? off : file_len;
}

uint64_t img_code_table(const uint8_t header[IMG_OFF_RO])
{
    uint64_t table = img_le(header + IMG_OFF_STARTUP, 8) + IMG_STARTUP_CODE;
    return table < IMG_STARTUP_CODE ? UINT64_MAX : table;
}

uint64_t img_code_start(const uint8_t *bytes, size_t len, size_t file_len)
{
    if (len < IMG_OFF_RO) return file_len;
    uint64_t table = img_code_table(bytes);
    if (table > len || len - table < 16) return file_len;
    return img_code_fits(img_le(bytes + table, 8), img_le(bytes + table + 8, 8), file_len);
}

uint64_t img_hash(const uint8_t *bytes, size_t len)
{
    return XXH3_64bits(bytes, len);
}
