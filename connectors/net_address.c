/* net_address.c — "host:port" split into its parts (see net_address.h). */
#include "connectors/net_address.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Splits "host:port" or "[v6addr]:port" into host and port (both NUL-terminated in out buffers). */
sl_status net_split_address(const char *address, char *host, size_t host_cap, char *port,
                            size_t port_cap, struct sl_error *err)
{
    const char *h = address, *h_end, *colon;
    if (address[0] == '[') {
        h = address + 1;
        h_end = strchr(h, ']');
        if (!h_end || h_end[1] != ':')
            return sl_error_set(err, SL_ERROR, "socket address '%s' must be [host]:port", address);
        colon = h_end + 1;
    } else {
        colon = strrchr(address, ':');
        if (!colon)
            return sl_error_set(err, SL_ERROR, "socket address '%s' has no port (expected host:port)",
                                address);
        if (memchr(address, ':', (size_t)(colon - address)))
            return sl_error_set(err, SL_ERROR,
                                "socket address '%s': write IPv6 addresses as [addr]:port", address);
        h_end = colon;
    }
    const char *p = colon + 1;
    size_t hlen = (size_t)(h_end - h), plen = strlen(p);
    if (plen == 0 || strspn(p, "0123456789") != plen)
        return sl_error_set(err, SL_ERROR, "socket address '%s' has no valid port", address);
    if (plen > 5 || atoi(p) > 65535)
        return sl_error_set(err, SL_ERROR,
                            "socket address '%s': port %s is out of range (1 to 65535)", address,
                            p);
    if (hlen == 0 || hlen >= host_cap || plen >= port_cap)
        return sl_error_set(err, SL_ERROR, "socket address '%s' is not valid", address);
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    memcpy(port, p, plen + 1);
    return SL_OK;
}

sl_status net_listen(const char *what, const char *address, int sock_flags, int backlog, int *fd,
                     struct sl_error *err)
{
    char host[256], port[16];
    *fd = -1;
    char local[32];
    const char *hostport = address, *only_port = address + (address[0] == ':');
    size_t digits = strspn(only_port, "0123456789");
    if (digits && digits <= 6 && only_port[digits] == '\0') {
        snprintf(local, sizeof local, "127.0.0.1:%s", only_port);
        hostport = local;
    }
    sl_status st = net_split_address(hostport, host, sizeof host, port, sizeof port, err);
    if (st != SL_OK)
        return st;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0)
        return sl_error_set(err, SL_ERROR, "%s '%s': cannot resolve host '%s': %s", what, address,
                            host, gai_strerror(rc));
    int e = 0;
    for (struct addrinfo *ai = res; ai && *fd < 0; ai = ai->ai_next) {
        int s = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC | sock_flags, 0);
        int one = 1;
        if (s >= 0 && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
            bind(s, ai->ai_addr, ai->ai_addrlen) == 0 && listen(s, backlog) == 0) {
            *fd = s;
            break;
        }
        e = errno;
        if (s >= 0)
            close(s);
    }
    freeaddrinfo(res);
    if (*fd < 0)
        return sl_error_set(err, SL_ERROR, "%s '%s': cannot listen: %s%s", what, address,
                            strerror(e),
                            e == EADDRINUSE ? " (another program, or another stream or query "
                                              "reading this stream, listens there)"
                                            : "");
    return SL_OK;
}

/* A port that can be (checked when the statement is bound: 99999 used to
 * be tried, and reported as refused). */
static const char *check_port(const char *port, const char **hint)
{
    size_t digits = strspn(port, "0123456789");
    if (port[digits] == '\0' && (digits > 5 || atoi(port) > 65535)) {
        *hint = "a TCP port is a number from 1 to 65535";
        return "the port is out of range";
    }
    return NULL;
}

/* "host:port": both parts present. */
const char *net_check_address(const char *address, const char **hint)
{
    const char *colon = strrchr(address, ':');
    if (!colon || colon == address || colon[1] == '\0') {
        *hint = "write it as 'localhost:9999'";
        return "a socket address needs a host and a port";
    }
    return check_port(colon + 1, hint);
}

/* "host:port", ":port" or "port". */
const char *net_check_listen_address(const char *address, const char **hint)
{
    const char *colon = strrchr(address, ':');
    const char *port = colon ? colon + 1 : address;
    if (!*port || strspn(port, "0123456789") != strlen(port)) {
        *hint = "write a port ('8080' listens on 127.0.0.1 only) or host:port ('0.0.0.0:8080' "
                "listens on every interface)";
        return "a listening address needs a port";
    }
    return check_port(port, hint);
}
