/*
 * link.h - link keys: how one context (module instance) comes to name
 * another (internal; the contract is docs/abi.md, "Link keys").
 *
 * Every instance may have a secret 256-bit key from the kernel's CSPRNG,
 * made the first time anyone asks for it.  The key is the only name of
 * the instance outside its store: whoever holds it (the host, or a
 * component the host or another component gave it to) can link, which
 * queues one end of a new channel on the instance's inbox and hands back
 * the other.  Without the key there is nothing to name the instance by.
 *
 * A process-wide registry (link.c) holds, for each instance that has a
 * key, the key and the write end of its inbox (once it listens).  A
 * lookup compares the key it is given with every registered key in time
 * that depends only on how many there are, so a wrong key teaches nothing
 * about which contexts exist; every failure to find a listening context
 * other than the caller is the same CAP_ENOTFOUND.  Keys are never
 * logged, and copies the registry drops are wiped.
 */
#ifndef B8G_CAP_LINK_H
#define B8G_CAP_LINK_H

#include "cap/object.h"

#define CAP_LINK_KEY_SIZE 32u

/* 1 if the keys are equal, 0 if not, in time independent of their bytes
 * (no early exit, no branch on them). */
uint32_t cap_link_key_equal(const uint8_t a[CAP_LINK_KEY_SIZE],
                            const uint8_t b[CAP_LINK_KEY_SIZE]);

/* inst's key into out, made now (getrandom) if it had none.  CAP_ENOMEM
 * if the registry cannot grow or the kernel gives no random bytes: there
 * is no weaker fallback. */
CapErr cap_link_key(b8g_instance *inst, uint8_t out[CAP_LINK_KEY_SIZE]);

/* Makes inst's inbox: a channel whose write end the registry keeps and
 * whose read end (one reference) goes to *reader.  CAP_EINVAL while an
 * earlier inbox's read end is still open; once it is closed a new inbox
 * may be made (the links queued in the old one went with it). */
CapErr cap_link_listen(b8g_instance *inst, CapChannelEnd **reader);

/*
 * Queues a message with no bytes and the one handle `end` on the inbox of
 * the listening instance whose key this is, never blocking.  self (may be
 * NULL: the host) is the caller, which cannot link to itself.  CAP_OK:
 * the inbox owns end's reference; otherwise it stays the caller's.
 * CAP_ENOTFOUND for a wrong key, an instance that is gone, one that does
 * not listen (or closed its inbox), and self alike.  CAP_EAGAIN when the
 * inbox is full: only a holder of the right key can get there.
 */
CapErr cap_link_connect(const uint8_t key[CAP_LINK_KEY_SIZE], const b8g_instance *self,
                        const CapMsgHandle *end);

/* inst is going (inst_free): its key stops naming anything and the
 * registry drops its inbox writer.  Cheap when inst never had a key. */
void cap_link_forget(b8g_instance *inst);

/* A fresh key for inst, the old one stops naming it; its inbox stays.
 * For restoring a snapshot into inst (a fork is a new instance, which
 * gets its own key anyway).  CAP_ENOMEM as for cap_link_key. */
CapErr cap_link_rotate(b8g_instance *inst);

/* Instances registered now (tests). */
size_t cap_link_registered(void);

#endif
