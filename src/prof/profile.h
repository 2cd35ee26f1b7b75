/*
 * profile.h - the profiler (internal side of b8g_profile_*, b8g.h).
 *
 * What it counts, and when: fuel units (safe points: one per loop
 * back-edge and per call, the unit --fuel meters) and wall time, both
 * attributed to the call stack of the engine-managed stack.  A profiled
 * store's thread takes fuel in chunks of `period` safe points instead of
 * VM_CHUNK; whenever a chunk runs out or a run leaves the dispatch loop
 * (a host call, the end), the interpreter calls prof_tick with the units
 * the chunk used, and those go to the stack as it stands - sampling by
 * event count, as a CPU's performance counters do.  Wall time is sampled
 * at the same ticks: a timer thread raises a flag every `sample_us`, and
 * the next tick gives the time since the last wall sample to the stack.
 * Time spent blocked in a host call goes to the wasm function that made
 * it (its stack is the one standing when the call returns).
 *
 * Stacks are kept as a calling-context tree, bounded in size; the store's
 * single running thread is the only writer, so nothing is locked.
 */
#ifndef B8G_PROF_PROFILE_H
#define B8G_PROF_PROFILE_H

#include "exec/frame.h"

typedef struct Profiler Profiler;

/* units: fuel units used since the last tick, under th's stack now. */
void prof_tick(Profiler *p, const Thread *th, int64_t units);
/* Attaches p to th (NULL detaches): the chunk size follows. */
void prof_attach_thread(Profiler *p, Thread *th);

#endif
