/* secret.c - a guest that reads entropy (random_get) and then works on:
 * suspended after the read, its image is not rehashable (b8g inspect
 * warns that restoring it more than once forks the secret).  Prints only
 * facts about the secret, so its output does not depend on it. */
#include <stdio.h>
#include <unistd.h>

static volatile unsigned acc;

int main(void)
{
    unsigned char key[32] = {0};
    if (getentropy(key, sizeof key) != 0) {
        perror("getentropy");
        return 1;
    }
    int zeros = 0;
    for (size_t i = 0; i < sizeof key; i++) zeros += key[i] == 0;
    printf("drew a secret: %s\n", zeros < 16 ? "yes" : "no");
    for (unsigned i = 0; i < 5000; i++) acc += i ^ key[i % sizeof key];
    printf("done\n");
    return 0;
}
