/*
 * sl_textgen — deterministic text for word-count tests and benchmarks:
 * lines of words drawn with a Zipf-like skew from a generated vocabulary
 * that includes UTF-8 words, with the irregular spacing real text has
 * (double spaces, leading and trailing spaces, empty lines).
 *
 *   sl_textgen BYTES [VOCABULARY [SEED]]  > file
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xorshift.h"

static const char *const syllables[] = {
    "ka", "to", "ri", "sen", "mu", "la", "de", "vo", "qui", "nar", "el", "po", "shi", "ta",
    "ber", "ö", "é", "ñ", "ü", "ß", "ça", "日本", "語", "ж", "ла", "π", "ø", "ğ",
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sl_textgen BYTES [VOCABULARY [SEED]]\n");
        return 2;
    }
    long long bytes = atoll(argv[1]);
    long vocab = argc > 2 ? atol(argv[2]) : 50000;
    rng_state = argc > 3 ? strtoull(argv[3], NULL, 10) | 1 : 88172645463325252ULL;
    if (vocab < 1)
        return 2;
    size_t nsyl = sizeof syllables / sizeof syllables[0];
    char **words = calloc((size_t)vocab, sizeof *words);
    for (long i = 0; i < vocab; i++) {
        char w[64] = "";
        long n = i;
        /* Plain ASCII syllables for most words, so UTF-8 words stay a minority. */
        size_t base = (i % 7 == 0) ? nsyl : 14;
        do {
            strcat(w, syllables[n % (long)base]);
            n /= (long)base;
        } while (n > 0 && strlen(w) < 40);
        words[i] = strdup(w);
    }
    /* Zipf-like: index = vocab^u - 1 for uniform u, so low indexes are frequent. */
    double logv = log((double)vocab + 1);
    long long written = 0;
    char line[4096];
    while (written < bytes) {
        size_t len = 0;
        uint64_t r = next_random();
        if (r % 50 == 0) {
            fputc('\n', stdout);
            written++;
            continue;
        }
        if (r % 13 == 0)
            line[len++] = ' ';
        int nwords = 1 + (int)(next_random() % 18);
        for (int k = 0; k < nwords; k++) {
            double u = (double)(next_random() >> 11) / 9007199254740992.0;
            long idx = (long)exp(u * logv) - 1;
            if (idx >= vocab)
                idx = vocab - 1;
            size_t wl = strlen(words[idx]);
            if (len + wl + 3 >= sizeof line)
                break;
            if (k > 0) {
                line[len++] = ' ';
                if (next_random() % 17 == 0)
                    line[len++] = ' ';
            }
            memcpy(line + len, words[idx], wl);
            len += wl;
        }
        if (next_random() % 11 == 0)
            line[len++] = ' ';
        line[len++] = '\n';
        fwrite(line, 1, len, stdout);
        written += (long long)len;
    }
    for (long i = 0; i < vocab; i++)
        free(words[i]);
    free(words);
    return 0;
}
