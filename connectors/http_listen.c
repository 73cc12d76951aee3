/*
 * http_listen.c — the HTTP LISTEN source's listening socket, bound here
 * rather than by libmicrohttpd so that a failure says which address and why
 * ("address already in use"), and so that port 0 can tell the port it got.
 */
#include "connectors/http_impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Senders waiting to be accepted: enough for bursts of short requests. */
#define HTTP_LISTEN_BACKLOG 512

/* "host:port" or "[v6]:port" into host and port; "" or "*" as host: every address. */
static bool split_host_port(const char *address, char *host, size_t host_cap, char *port,
                            size_t port_cap)
{
    const char *colon = strrchr(address, ':');
    if (!colon || !colon[1] || strlen(colon + 1) >= port_cap)
        return false;
    const char *h = address;
    size_t hlen = (size_t)(colon - address);
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen >= host_cap)
        return false;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    if (strcmp(host, "*") == 0)
        host[0] = '\0';
    snprintf(port, port_cap, "%s", colon + 1);
    return true;
}

/* The address a socket is bound to, as "127.0.0.1:41234" or "[::1]:41234". */
static void describe_bound(int fd, char *out, size_t cap)
{
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    char ip[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 && sa.ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)&sa;
        inet_ntop(AF_INET6, &v6->sin6_addr, ip, sizeof ip);
        port = ntohs(v6->sin6_port);
        snprintf(out, cap, "[%s]:%u", ip, port);
        return;
    }
    const struct sockaddr_in *v4 = (const struct sockaddr_in *)&sa;
    inet_ntop(AF_INET, &v4->sin_addr, ip, sizeof ip);
    port = ntohs(v4->sin_port);
    snprintf(out, cap, "%s:%u", ip, port);
}

sl_status http_listen(const char *address, int *fd, char *bound, size_t bound_cap,
                      struct sl_error *err)
{
    char host[256], port[16];
    *fd = -1;
    if (!split_host_port(address, host, sizeof host, port, sizeof port))
        return sl_error_set(err, SL_ERROR, "HTTP LISTEN '%s': write the address as 'host:port'",
                            address);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (rc != 0)
        return sl_error_set(err, SL_ERROR, "HTTP LISTEN '%s': cannot resolve '%s': %s", address,
                            host, gai_strerror(rc));
    int last_errno = 0;
    for (struct addrinfo *ai = res; ai && *fd < 0; ai = ai->ai_next) {
        int s = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (s < 0) {
            last_errno = errno;
            continue;
        }
        /* A restart may bind again while the last run's connections linger in TIME_WAIT. */
        int one = 1;
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(s, ai->ai_addr, ai->ai_addrlen) == 0 && listen(s, HTTP_LISTEN_BACKLOG) == 0) {
            *fd = s;
        } else {
            last_errno = errno;
            close(s);
        }
    }
    freeaddrinfo(res);
    if (*fd < 0)
        return sl_error_set(err, SL_ERROR, "HTTP LISTEN '%s': cannot listen: %s", address,
                            strerror(last_errno));
    describe_bound(*fd, bound, bound_cap);
    return SL_OK;
}
