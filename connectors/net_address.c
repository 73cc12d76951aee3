/* net_address.c — "host:port" split into its parts (see net_address.h). */
#include "connectors/net_address.h"

#include <string.h>

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
    if (hlen == 0 || hlen >= host_cap || plen >= port_cap)
        return sl_error_set(err, SL_ERROR, "socket address '%s' is not valid", address);
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    memcpy(port, p, plen + 1);
    return SL_OK;
}

/* "host:port": both parts present. */
const char *net_check_address(const char *address, const char **hint)
{
    const char *colon = strrchr(address, ':');
    if (colon && colon != address && colon[1] != '\0')
        return NULL;
    *hint = "write it as 'localhost:9999'";
    return "a socket address needs a host and a port";
}
