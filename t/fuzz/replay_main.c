/*
 * replay_main.c - a main() for fuzz targets built without libFuzzer: feeds
 * every file named on the command line, and every regular file inside the
 * directories named there (sorted, dot files skipped), to
 * LLVMFuzzerTestOneInput() and prints TAP, one "ok" per input. Each input
 * is copied into a buffer of exactly its size so that ASan catches reads
 * past the end. A crash ends the run (and the TAP stream) early.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int ntests, nfailed;

static int read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return -1;
    for (;;) {
        size_t got;
        if (n == cap) {
            uint8_t *nb;
            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *out = buf;
    *len = n;
    return 0;
}

static void run_one(const char *path)
{
    uint8_t *raw = NULL, *exact;
    size_t len = 0;
    ntests++;
    if (read_file(path, &raw, &len) != 0) {
        nfailed++;
        printf("not ok %d - %s (cannot read)\n", ntests, path);
        return;
    }
    exact = malloc(len ? len : 1);
    if (!exact) {
        free(raw);
        nfailed++;
        printf("not ok %d - %s (out of memory)\n", ntests, path);
        return;
    }
    if (len)
        memcpy(exact, raw, len);
    free(raw);
    printf("# %s (%zu bytes)\n", path, len);
    fflush(stdout);
    LLVMFuzzerTestOneInput(len ? exact : NULL, len);
    free(exact);
    printf("ok %d - %s\n", ntests, path);
    fflush(stdout);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    if (!d) {
        ntests++;
        nfailed++;
        printf("not ok %d - %s (cannot open directory)\n", ntests, dir);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        char *path;
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        path = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!path)
            break;
        sprintf(path, "%s/%s", dir, e->d_name);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue;
        }
        if (n == cap) {
            char **nn;
            cap = cap ? cap * 2 : 64;
            nn = realloc(names, cap * sizeof(*nn));
            if (!nn) {
                free(path);
                break;
            }
            names = nn;
        }
        names[n++] = path;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof(*names), cmp_str);
    for (i = 0; i < n; i++) {
        run_one(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    int i;
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            run_dir(argv[i]);
        else
            run_one(argv[i]);
    }
    if (ntests == 0)
        printf("1..0 # SKIP no inputs\n");
    else
        printf("1..%d\n", ntests);
    return nfailed ? 1 : 0;
}
