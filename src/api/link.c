/*
 * link.c - the embedding API of link keys: the host reads a component's
 * key (to hand it to another component) and links to a listening
 * component itself, as a guest would (include/b8g.h; cap/link.c has the
 * registry, cap/abi_link.c the guest side).
 *
 * Error messages never contain a key, and every "not found" reads the
 * same whatever the reason.
 */
#include <string.h>

#include "cap/abi.h"
#include "cap/link.h"
#include "util/err.h"

b8g_status b8g_link_key(b8g_instance *inst, uint8_t key[32], b8g_error *err)
{
    /* Host instances have no code to listen with: nothing to link to. */
    if (!inst || !inst->mod || !key)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "link key: not a module instance");
    if (cap_link_key(inst, key))
        return err_set(err, B8G_NOMEM, B8G_NO_OFFSET,
                       "link key: cannot make a key (no memory or no random bytes)");
    return B8G_OK;
}

b8g_status b8g_link(const uint8_t key[32], b8g_object **channel_end, b8g_error *err)
{
    if (!key || !channel_end)
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "link: NULL argument");
    *channel_end = NULL;
    /* Made before the lookup, as in the guest's link: an allocation
     * failure must not depend on the key. */
    CapChannelEnd *mine, *theirs;
    if (cap_channel_new(&mine, &theirs))
        return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "link: out of memory");
    CapMsgHandle end = {.obj = (CapObject *)theirs, .rights = abi_kind_rights(CAP_KIND_CHANNEL)};
    CapErr rc = cap_link_connect(key, NULL, &end);
    if (rc) {
        cap_unref((CapObject *)theirs);
        cap_unref((CapObject *)mine);
        if (rc == CAP_EAGAIN)
            return err_set(err, B8G_LIMIT, B8G_NO_OFFSET, "link: the context's inbox is full");
        if (rc == CAP_ENOMEM)
            return err_set(err, B8G_NOMEM, B8G_NO_OFFSET, "link: out of memory");
        return err_set(err, B8G_ARG, B8G_NO_OFFSET, "link: no such context");
    }
    *channel_end = (b8g_object *)mine;
    return B8G_OK;
}
