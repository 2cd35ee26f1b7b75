/*
 * maps.h - what the unit tests read from /proc/self/maps.
 */
#ifndef B8G_TEST_MAPS_H
#define B8G_TEST_MAPS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Protection and sharing of the mapping holding addr ("rw-p", "rw-s"),
 * or "none". */
static void prot_at(const uint8_t *addr, char out[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    assert_non_null(f);
    char line[512];
    strcpy(out, "none");
    while (fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
            (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
            memcpy(out, perms, 5);
            break;
        }
    }
    fclose(f);
}

#endif
