/*
 * replay_main.c — runs a fuzz target without libFuzzer: every file named on
 * the command line, and every file in a directory named there, is read and
 * handed to LLVMFuzzerTestOneInput once. ctest replays each committed corpus
 * this way in every build (under ASan+UBSan in `make test`'s second pass), so
 * a crash once found stays fixed. Exits non-zero when an argument cannot be
 * read or nothing was replayed.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads path into a buffer of exactly its size, so ASan sees reads past the end. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    int rc = -1;
    uint8_t *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long size = ftell(f);
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc(size ? (size_t)size : 1))) {
            if (fread(data, 1, (size_t)size, f) == (size_t)size) {
                LLVMFuzzerTestOneInput(data, (size_t)size);
                rc = 0;
            }
        }
    }
    if (rc != 0)
        fprintf(stderr, "%s: cannot read\n", path);
    free(data);
    fclose(f);
    return rc;
}

/* Replays every regular file of dir (not hidden ones); returns how many, or -1. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    long n = 0;
    struct dirent *e;
    while (n >= 0 && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *path = malloc(len);
        struct stat st;
        if (!path) {
            n = -1;
            break;
        }
        snprintf(path, len, "%s/%s", dir, e->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            n = replay_file(path) == 0 ? n + 1 : -1;
        free(path);
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    long total = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 1;
        }
        long n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) == 0 ? 1 : -1;
        if (n < 0)
            return 1;
        total += n;
    }
    if (total == 0) {
        fprintf(stderr, "usage: %s FILE|DIR...: nothing was replayed\n", argv[0]);
        return 1;
    }
    printf("%s: replayed %ld input%s\n", argv[0], total, total == 1 ? "" : "s");
    return 0;
}
