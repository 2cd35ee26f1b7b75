/*
 * dwarf_seed.c - the program whose DWARF seeds fuzz_dwarf (tests/fuzz/
 * seeds.sh builds it freestanding, -g at -O0 and -O2, DWARF 4 and 5, so
 * the seeds stay small): every kind of variable and type the debugger
 * reads - globals, a struct by value and by pointer, a union, an enum,
 * arrays, strings, nested blocks, inlined calls.
 */
typedef unsigned int uint;
enum colour { RED = 1, GREEN = 5, BLUE = 9 };
struct point {
    int x, y;
    unsigned flags : 3;
};
union word {
    uint u;
    float f;
    unsigned char b[4];
};

int counter = 7;
const char *greeting = "hello\tworld";
static double scale = 2.5;
struct point origin = {1, 2, 3};
int primes[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};

static inline int twice(int v) { return v + v; }

static int area(struct point p, const struct point *q)
{
    int w = p.x - q->x, h = p.y - q->y;
    return twice(w * h);
}

__attribute__((export_name("run"))) int run(int n)
{
    enum colour c = GREEN;
    union word word = {.u = 0x40490fdb};
    char name[8] = "abc";
    struct point p = {n, n + 1, 5};
    long long total = 0;
    for (int i = 0; i < n; i++) {
        int sq = i * i;
        {
            short inner = (short)(sq - i);
            total += inner + primes[i % 12];
        }
    }
    counter += area(p, &origin) + (int)(scale * c) + name[0] + (int)word.b[1];
    return (int)total + counter + greeting[0];
}
