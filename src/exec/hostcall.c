/*
 * hostcall.c - calling host functions.
 *
 * A host function reads its arguments from the slots and writes its
 * results over them (b8g.h).  Whatever it returns other than B8G_OK ends
 * the call as a trap: its kind is HOST unless the host named one (e.g. a
 * nested call that trapped passes its own error through), and the message
 * is the kind's text unless the host wrote one.
 */
#include <stdio.h>

#include "exec/frame.h"
#include "util/err.h"

b8g_status vm_host_call(const FuncInst *fn, b8g_instance *caller,
                        uint64_t *args, b8g_error *err)
{
    b8g_hostcall hc = {fn->inst ? fn->inst->store : NULL, caller, fn->user};
    err_clear(err);
    b8g_status st = fn->host(&hc, args, err);
    if (st == B8G_OK) return B8G_OK;
    err->code = B8G_TRAP;
    if (err->trap == B8G_TRAP_NONE || err->trap >= B8G_TRAP_COUNT) err->trap = B8G_TRAP_HOST;
    if (!err->msg[0]) snprintf(err->msg, sizeof err->msg, "%s", b8g_trap_name(err->trap));
    return B8G_TRAP;
}
