/*
 * sl_feeder — a one-shot TCP server for tests and the demo, like `nc -l`:
 * listens on 127.0.0.1, accepts one client, writes the file to it (in
 * pieces with pauses if asked, to make a slow stream) and closes cleanly.
 *
 *   sl_feeder [--port N] [--port-file F] [--chunk BYTES] [--pause-ms MS] FILE
 *
 * With --port 0 (the default) the kernel picks a free port, written to the
 * port file (or stdout) once the socket listens.
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
    fprintf(stderr, "sl_feeder: %s: %s\n", what, strerror(errno));
    return 1;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int port = 0;
    long chunk = 1 << 16, pause_ms = 0;
    const char *port_file = NULL, *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc)
            port = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--port-file") && i + 1 < argc)
            port_file = argv[++i];
        else if (!strcmp(argv[i], "--chunk") && i + 1 < argc)
            chunk = atol(argv[++i]);
        else if (!strcmp(argv[i], "--pause-ms") && i + 1 < argc)
            pause_ms = atol(argv[++i]);
        else
            path = argv[i];
    }
    if (!path || chunk <= 0) {
        fprintf(stderr, "usage: sl_feeder [--port N] [--port-file F] [--chunk BYTES] [--pause-ms MS] FILE\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    FILE *in = fopen(path, "rb");
    if (!in)
        return fail(path);
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(srv, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(srv, 1) < 0)
        return fail("listen");
    socklen_t len = sizeof addr;
    getsockname(srv, (struct sockaddr *)&addr, &len);
    FILE *pf = port_file ? fopen(port_file, "w") : stdout;
    if (!pf)
        return fail(port_file);
    fprintf(pf, "%d\n", ntohs(addr.sin_port));
    if (pf != stdout)
        fclose(pf);
    else
        fflush(stdout);
    int client = accept(srv, NULL, NULL);
    if (client < 0)
        return fail("accept");
    char *buf = malloc((size_t)chunk);
    size_t n;
    struct timespec pause = {.tv_sec = pause_ms / 1000, .tv_nsec = (pause_ms % 1000) * 1000000L};
    while (buf && (n = fread(buf, 1, (size_t)chunk, in)) > 0) {
        if (write_all(client, buf, n) < 0)
            return fail("write");
        if (pause_ms)
            nanosleep(&pause, NULL);
    }
    free(buf);
    fclose(in);
    shutdown(client, SHUT_WR);
    close(client);
    close(srv);
    return 0;
}
