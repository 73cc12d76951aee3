/*
 * nexmark.c — `sluice nexmark`: writes the events a NEXMARK stream with the
 * same options reads, as CSV or JSON on stdout, so decoders can be measured
 * on the very data the generator feeds the engine.
 */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char NEXMARK_USAGE[] =
    "usage: sluice nexmark --events N [--kind bid|auction|person] [--format csv|json]\n"
    "                      [--rate R] [--seed S]\n";

static const char NEXMARK_HELP[] =
    "\n"
    "Writes the events a NEXMARK stream with the same options reads to stdout.\n"
    "\n"
    "  --events N     how many events (0: the connector's maximum)\n"
    "  --kind K       bid (default), auction or person\n"
    "  --format F     csv (the connector's fixed-width records, default) or json\n"
    "                 (an object a line)\n"
    "  --rate R       events per second of event time (default 10000)\n"
    "  --seed S       the generator's seed (default 1)\n"
    "\n"
    "Exit status: 0 written, 1 a write failed, 2 a usage error.\n";

/* A whole number in [min, max], or false. */
static bool parse_num(const char *text, int64_t min, int64_t max, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

int nexmark_main(int argc, char **argv)
{
    const char *kind = "bid", *format = "csv";
    int64_t events = -1, rate = 10000, seed = 1;
    for (int i = 1; i < argc; i += 2) { /* each option takes a value */
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("%s%s", NEXMARK_USAGE, NEXMARK_HELP);
            return 0;
        }
        bool ok = v != NULL;
        if (ok && strcmp(a, "--kind") == 0)
            kind = v;
        else if (ok && strcmp(a, "--format") == 0)
            format = v;
        else if (ok && strcmp(a, "--events") == 0)
            ok = parse_num(v, 0, INT64_C(1000000000000), &events);
        else if (ok && strcmp(a, "--rate") == 0)
            ok = parse_num(v, 1, 1000000000, &rate);
        else if (ok && strcmp(a, "--seed") == 0)
            ok = parse_num(v, 0, INT64_MAX, &seed);
        else
            ok = false;
        if (!ok) {
            fprintf(stderr, "sluice nexmark: bad option %s\n%s", a, NEXMARK_USAGE);
            return 2;
        }
    }
    if (events < 0) {
        fprintf(stderr, "sluice nexmark: how many? give --events N\n%s", NEXMARK_USAGE);
        return 2;
    }
    char *errors = NULL;
    sluice_status st = sluice_nexmark_write(stdout, kind, format, events, rate, (uint64_t)seed,
                                            &errors);
    cli_print_errors(errors);
    return st == SLUICE_OK ? 0 : 1;
}
