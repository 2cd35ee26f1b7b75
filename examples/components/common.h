/*
 * common.h - what the example components share: the data the pipeline
 * moves and how it is checked.
 */
#ifndef EXAMPLE_COMMON_H
#define EXAMPLE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define CHUNK (64u << 10)
#define TRANSFORM_KEY 0x9e3779b97f4a7c15ull

/* Word i of the producer's output: a cheap, position-dependent pattern, so
 * a lost, repeated or reordered chunk changes the checksum. */
static inline uint64_t pattern_word(uint64_t i)
{
    return i * 0x100000001b3ull ^ (i >> 7);
}

/* The consumer's checksum of one word at word position i. */
static inline uint64_t mix(uint64_t sum, uint64_t w)
{
    sum ^= w;
    return (sum << 5 | sum >> 59) * 3;
}

#endif
