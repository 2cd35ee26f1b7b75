/* sleep.c - a guest blocked in a host call: sleep(10) through poll_oneoff,
 * which --timeout must end early. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    printf("sleeping\n");
    fflush(stdout);
    sleep(10);
    printf("woke up\n");
    return 0;
}
