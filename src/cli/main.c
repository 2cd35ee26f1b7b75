/*
 * main.c - entry point of the b8g command-line tool: picks the subcommand.
 */
#include <signal.h>
#include <string.h>

#include "cli/cli.h"

typedef struct CliCommand {
    const char *name;
    int (*fn)(int argc, char **argv);
} CliCommand;

static const CliCommand commands[] = {
    {"run", cli_run},
    {"snapshot", cli_snapshot},
    {"resume", cli_resume},
    {"inspect", cli_inspect},
    {"debug", cli_debug},
    {"js", cli_js},
    {"compose", cli_compose},
    {"doctor", cli_doctor},
    {"version", cli_version},
    {"--version", cli_version},
    {"-V", cli_version},
    {"help", cli_help},
    {"--help", cli_help},
    {"-h", cli_help},
};

int main(int argc, char **argv)
{
    /* A closed pipe on stdout must become a write error we report, not a
     * silent death by SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    cli_reserve_stdio();
    if (argc < 2) {
        cli_usage(stderr);
        return b8g_status_exit_code(B8G_ARG);
    }
    for (size_t i = 0; i < B8G_ARRAY_LEN(commands); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 2, argv + 2);
    int code = cli_fail(B8G_ARG, "unknown command \"%s\"", argv[1]);
    fputs("Run 'b8g help' for usage.\n", stderr);
    return code;
}
