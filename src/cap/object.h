/*
 * object.h - the kernel objects of the b8g component ABI: what handles of
 * the new kinds point at (handle.h has the table itself).
 *
 * Objects are shared between components that may run on different threads
 * (tasks), so every operation on them is thread-safe; the handle tables
 * that name them are not (each belongs to one instance, used by one thread
 * at a time).  Operations never block unless they say so, and blocking
 * ones wait in slices so a store interrupt (timeout, cancel) ends them:
 * they take a `CapCancel` to poll.
 *
 * Observable state is a set of signals, as in Zircon: a wait names a
 * handle and a mask and ends when any bit of the mask is asserted.  Every
 * waitable object embeds a CapSignals; a wait-set (cap_wait_many) waits on
 * many at once.
 *
 * Errors are CapErr values (the ABI returns them to guests as negative
 * i32s, see docs/abi.md); CAP_OK is 0.
 */
#ifndef B8G_CAP_OBJECT_H
#define B8G_CAP_OBJECT_H

#include <pthread.h>

#include "cap/handle.h"

typedef enum CapErr {
    CAP_OK = 0,
    CAP_EBADH = 1,       /* not a live handle of this table (forged, stale,
                            closed, foreign) */
    CAP_EKIND = 2,       /* the handle names an object of another kind */
    CAP_ERIGHTS = 3,     /* the handle lacks a right the operation needs */
    CAP_EINVAL = 4,      /* bad argument (flags, sizes, alignment) */
    CAP_EFAULT = 5,      /* a guest buffer is outside its linear memory */
    CAP_EAGAIN = 6,      /* would block (non-blocking call) */
    CAP_ECLOSED = 7,     /* the peer end is closed: no more data will come /
                            nothing written will be read */
    CAP_ETIMEDOUT = 8,   /* a wait's deadline passed */
    CAP_ELIMIT = 9,      /* a limit (table full, message too big, too many
                            handles in a message, region too large) */
    CAP_ENOMEM = 10,     /* the host could not allocate */
    CAP_EBUSY = 11,      /* e.g. a memory window overlaps another mapping */
    CAP_EINTR = 12,      /* the store was interrupted while waiting */
    CAP_ENOTFOUND = 13,  /* link: no context with that key */
} CapErr;

/* Signals (bits of CapSignals.state). */
#define CAP_SIGNAL_READABLE (1u << 0)   /* data or a message can be read */
#define CAP_SIGNAL_WRITABLE (1u << 1)   /* there is room to write */
#define CAP_SIGNAL_PEER_CLOSED (1u << 2) /* the other end is gone */
#define CAP_SIGNAL_SIGNALED (1u << 3)   /* event: set by signal, until clear */
#define CAP_SIGNALS_ALL 0xfu

/* What a blocking operation polls to learn it should give up (a store's
 * interrupt); NULL: never. */
typedef struct CapCancel {
    bool (*cancelled)(void *arg);
    void *arg;
} CapCancel;

/* Objects of kind k alive in the process (created and not yet destroyed):
 * what tests use to prove that closing the last reference frees. */
uint64_t cap_objects_live(CapKind k);
/* Constructors and destroy functions keep the counts (object.c). */
void cap_object_created(CapKind k);
void cap_object_destroyed(CapKind k);

/* ---- signals and waiting ----------------------------------------------- */

typedef struct CapWaitNode CapWaitNode;

typedef struct CapSignals {
    pthread_mutex_t lock;   /* guards state and the waiter list */
    uint32_t state;         /* CAP_SIGNAL_* asserted now */
    CapWaitNode *waiters;
} CapSignals;

void cap_signals_init(CapSignals *s, uint32_t initial);
void cap_signals_destroy(CapSignals *s);
/* Clears `clear`, then sets `set`, and wakes waiters whose mask now
 * matches.  Objects call it while still holding their own state lock, so
 * racing updates cannot land out of order; the lock order is state lock,
 * signals lock, waiter's lock, and waiting never takes a state lock. */
void cap_signals_update(CapSignals *s, uint32_t clear, uint32_t set);
uint32_t cap_signals_get(CapSignals *s);
/* The signals of a waitable object (event, stream end, channel end, task,
 * timer); NULL for any other kind. */
CapSignals *cap_object_signals(CapObject *o);

typedef struct CapWaitItem {
    CapSignals *sig;        /* in */
    uint32_t mask;          /* in: signals that end the wait */
    uint32_t observed;      /* out: the state seen when the wait ended */
} CapWaitItem;

/* Waits until some item's state & mask != 0, or timeout_ns passes
 * (UINT64_MAX: forever; 0: just look).  Returns CAP_OK with every item's
 * `observed` filled (at least one matching), CAP_ETIMEDOUT (observed
 * filled too), or CAP_EINTR when cancel says so.  n may be up to
 * CAP_WAIT_MAX. */
#define CAP_WAIT_MAX 64u
CapErr cap_wait_many(CapWaitItem *items, uint32_t n, uint64_t timeout_ns,
                     const CapCancel *cancel);

/* ---- event ---------------------------------------------------------------- */

/* CAP_KIND_EVENT: SIGNALED is its only state.  Created holding one
 * reference. */
typedef struct CapEvent {
    CapObject base;
    CapSignals sig;
} CapEvent;

CapEvent *cap_event_new(void);
void cap_event_signal(CapEvent *e);
void cap_event_clear(CapEvent *e);

/* ---- stream: one-directional byte pipe --------------------------------- */

/*
 * A stream is a bounded ring buffer with two ends, each its own object
 * (CAP_KIND_STREAM_READ / CAP_KIND_STREAM_WRITE) so rights and transfer
 * apply per end.  Writers block (or get EAGAIN) when it is full; readers
 * when it is empty.  When the write end's last reference goes, readers get
 * what is buffered and then end-of-stream (0 bytes, PEER_CLOSED); when the
 * read end goes, writes fail with CAP_ECLOSED.
 */
typedef struct CapStreamEnd CapStreamEnd;

#define CAP_STREAM_DEFAULT_CAPACITY (64u << 10)
#define CAP_STREAM_MAX_CAPACITY (16u << 20)

/* Both ends, each holding one reference; capacity 0: the default. */
CapErr cap_stream_new(uint32_t capacity, CapStreamEnd **reader, CapStreamEnd **writer);
/* Moves up to len bytes.  block: wait (cancellable) until at least one
 * byte moved, or end-of-stream / closed.  *done = bytes moved; a read of 0
 * with CAP_OK means end-of-stream. */
CapErr cap_stream_read(CapStreamEnd *r, uint8_t *buf, size_t len, bool block,
                       const CapCancel *cancel, size_t *done);
CapErr cap_stream_write(CapStreamEnd *w, const uint8_t *buf, size_t len, bool block,
                        const CapCancel *cancel, size_t *done);
CapSignals *cap_stream_signals(CapStreamEnd *end);

/* ---- channel: bidirectional messages that carry bytes and handles ------- */

#define CAP_MSG_MAX_BYTES (64u << 10)
#define CAP_MSG_MAX_HANDLES 64u
#define CAP_CHANNEL_MAX_QUEUED 256u  /* messages waiting per direction */

/* A handle in flight: the object reference and the rights it had, taken
 * out of the sender's table - the WASI ones too (0 for objects that are
 * not WASI files or directories), so a file arrives as it left. */
typedef struct CapMsgHandle {
    CapObject *obj;
    uint32_t rights;
    uint64_t wasi_base;
    uint64_t wasi_inheriting;
} CapMsgHandle;

typedef struct CapChannelEnd CapChannelEnd;

/* Two connected endpoints (CAP_KIND_CHANNEL), each holding one reference. */
CapErr cap_channel_new(CapChannelEnd **a, CapChannelEnd **b);
/* Queues a message for the peer.  On CAP_OK the channel owns the handle
 * references (the caller has removed them from its table); on error they
 * stay the caller's.  CAP_ECLOSED if the peer is gone, CAP_EAGAIN if its
 * queue is full (block waits for room). */
CapErr cap_channel_write(CapChannelEnd *c, const uint8_t *bytes, size_t nbytes,
                         const CapMsgHandle *handles, uint32_t nhandles, bool block,
                         const CapCancel *cancel);
/*
 * Takes the next message.  Bytes go to buf (cap bytes) and handle
 * references to handles (cap_handles); if either does not fit, nothing is
 * taken: CAP_ELIMIT with *nbytes / *nhandles set to what is needed.  The
 * caller owns the returned references.  CAP_ECLOSED when the queue is
 * empty and the peer is gone.
 */
CapErr cap_channel_read(CapChannelEnd *c, uint8_t *buf, size_t cap, size_t *nbytes,
                        CapMsgHandle *handles, uint32_t cap_handles, uint32_t *nhandles,
                        bool block, const CapCancel *cancel);
CapSignals *cap_channel_signals(CapChannelEnd *c);

/* ---- memory region -------------------------------------------------------- */

/*
 * CAP_KIND_REGION: a shared memory object (memfd) of fixed size, a
 * multiple of CAP_REGION_ALIGN.  Components read/write it by copy, or map
 * it zero-copy into a window of their linear memory (rt/memory.h
 * mem_map_window): then writes by either mapper are visible to the other
 * at once.
 */
#define CAP_REGION_ALIGN 65536u           /* a wasm page */
#define CAP_REGION_MAX_SIZE ((uint64_t)1 << 32)

typedef struct CapRegion {
    CapObject base;
    int fd;              /* memfd, sealed against shrinking */
    uint64_t size;
} CapRegion;

/* size: a positive multiple of CAP_REGION_ALIGN, at most the max. */
CapErr cap_region_new(uint64_t size, CapRegion **out);
CapErr cap_region_read(CapRegion *r, uint64_t off, uint8_t *buf, size_t len);
CapErr cap_region_write(CapRegion *r, uint64_t off, const uint8_t *buf, size_t len);

/* ---- modules and tasks ------------------------------------------------------ */

/* CAP_KIND_MODULE: a loaded module a component may start tasks from
 * (with the CALL right).  Holds one module reference. */
typedef struct CapModule {
    CapObject base;
    b8g_module *module;
} CapModule;

CapErr cap_module_new(b8g_module *m, CapModule **out);

/*
 * CAP_KIND_TASK: a component instance running on a pool thread (task.c).
 * It has its own store (limits), the "b8g" module and a WASI context with
 * nothing in it; the handles it was started with are its arguments.
 * SIGNALED is asserted once it has ended.  Closing the last handle to a
 * task cancels it: a task never outlives every holder of its handle, and
 * when it ends its store and everything it held go.
 */
typedef struct CapTask CapTask;

typedef enum CapTaskState {
    CAP_TASK_RUNNING = 0,
    CAP_TASK_RETURNED = 1,  /* value: the entry's i32 result, or 0 */
    CAP_TASK_TRAPPED = 2,   /* value: the b8g_trap_kind */
    CAP_TASK_CANCELLED = 3,
    CAP_TASK_FAILED = 4,    /* could not start; value: the b8g_status */
} CapTaskState;

#define CAP_TASK_MAX_THREADS 64u   /* tasks running at once, per process */
#define CAP_TASK_ENTRY_MAX 256u    /* bytes of an entry point's name */

/* Starts entry (i32 parameters, one per handle; at most one i32 result)
 * of m with the handles, on cfg's limits.  On CAP_OK the task owns the
 * handle references; otherwise they stay the caller's.  CAP_ELIMIT when
 * CAP_TASK_MAX_THREADS tasks are running. */
CapErr cap_task_spawn(CapModule *m, const char *entry, size_t entry_len,
                      const CapMsgHandle *handles, uint32_t nhandles,
                      const b8g_config *cfg, CapTask **out);
void cap_task_cancel(CapTask *t);
/* The state and value; RUNNING until the task has ended. */
CapTaskState cap_task_result(CapTask *t, int32_t *value);
/* How a TRAPPED or FAILED task ended (code B8G_OK otherwise); frame names
 * stay valid while t is held. */
void cap_task_error(CapTask *t, b8g_error *out);
CapSignals *cap_task_signals(CapTask *t);
/* Tasks running now in the process (tests). */
uint32_t cap_tasks_running(void);

/* ---- timer ------------------------------------------------------------------ */

/*
 * CAP_KIND_TIMER (timer.c): SIGNALED is asserted when its deadline passes
 * and stays asserted until the timer is set again, cancelled or acked.
 * A one-shot timer then disarms; a periodic one expires again every
 * period after its first deadline, each expiry (and each period missed
 * while the service was late) counting one more expiration.  cap_timer_ack
 * returns the expirations since the last set, cancel or ack, and clears
 * SIGNALED.  An armed timer holds no reference: its last reference going
 * disarms and frees it.  Created holding one reference, unarmed.
 */
typedef struct CapTimer CapTimer;  /* starts with its CapObject */

#define CAP_TIMER_MAX_ARMED 65536u           /* armed at once, per process */
#define CAP_TIMER_MIN_PERIOD_NS 1000000ull   /* 1 ms */

CapTimer *cap_timer_new(void);
/* Arms t for deadline_ns (CLOCK_MONOTONIC, absolute; one already past
 * expires at once) and then every period_ns (0: once), replacing any
 * earlier setting and clearing SIGNALED and the count.  CAP_EINVAL for a
 * period below the minimum, CAP_ELIMIT when CAP_TIMER_MAX_ARMED are
 * armed, CAP_ENOMEM; on error t is unchanged. */
CapErr cap_timer_set(CapTimer *t, uint64_t deadline_ns, uint64_t period_ns);
/* Disarms t and clears SIGNALED and the count. */
void cap_timer_cancel(CapTimer *t);
/* The expirations since the last set, cancel or ack; clears them and
 * SIGNALED (a periodic timer stays armed). */
uint64_t cap_timer_ack(CapTimer *t);
CapSignals *cap_timer_signals(CapTimer *t);
/* CLOCK_MONOTONIC now, in ns: the clock deadlines are on. */
uint64_t cap_monotonic_ns(void);
/* Timers armed now in the process (tests). */
uint32_t cap_timers_armed(void);

#endif
