/* error.c: result codes and the error object. */
#include "polsearch/util.h"

#include <stdio.h>
#include <string.h>

const char *ps_rc_name(int rc)
{
    static const char *const names[] = {
        "OK", "ENOMEM", "EINVAL", "EIO", "ENOTFOUND", "EFORMAT", "ETOOBIG",
        "EDB", "ELOCKED", "EMODIFIED", "ENETWORK", "EICU", "EVERSION",
        "EDENIED", "EINTERNAL",
    };
    if (rc < 0 || (size_t)rc >= sizeof names / sizeof names[0])
        return "EUNKNOWN";
    return names[rc];
}

int ps_error_set(ps_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void ps_error_clear(ps_error *err)
{
    if (err) {
        err->code = PS_OK;
        err->msg[0] = '\0';
    }
}
