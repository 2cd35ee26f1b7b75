/* grow.c - a runaway guest: allocates 1 MiB chunks (touching each) until
 * malloc fails, then says how far it got in whole MiB and exits 3; under
 * --max-memory the count is bounded by the cap.  The chunks are linked
 * into a list so the optimiser cannot drop the allocations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1 << 20)

void *volatile head;

int main(void)
{
    unsigned long mib = 0;
    for (;;) {
        char *p = malloc(CHUNK);
        if (!p) break;
        memset(p, 0xa5, CHUNK);
        memcpy(p, (void *)&head, sizeof(void *));
        head = p;
        mib++;
    }
    printf("malloc failed after %lu MiB\n", mib);
    return 3;
}
