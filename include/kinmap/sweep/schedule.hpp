#pragma once
//! \file
//! How the points of a sweep are shared between workers, with no MPI in it (DESIGN.md §5).
//!
//! Work is a list of point indices (all points, or those a resumed run still lacks); workers
//! receive Chunks of positions in that list. `dynamic` hands out guided chunks from one shared
//! counter: large chunks first (few requests), shrinking to single points at the end, so that
//! the slow points, which cluster near the bistability fold, do not leave ranks idle at the
//! end. `block` (contiguous shares) and `cyclic` (round robin) are static, for comparison.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kinmap {

//! A schedule of DESIGN.md §5.
enum class Schedule { dynamic, block, cyclic };

//! Parse "dynamic", "block" or "cyclic"; throws std::invalid_argument otherwise.
Schedule parse_schedule(const std::string& name);
//! The name of a schedule.
std::string to_string(Schedule schedule);

//! The point indices still to compute, in increasing order.
class PointList {
public:
    //! Every point 0 .. n−1 (no storage).
    static PointList all(std::int64_t n);
    //! An explicit increasing list (e.g. the points a checkpoint lacks).
    static PointList of(std::vector<std::int64_t> indices);
    //! The points k whose bit is set in `bits` (bit k % 64 of word k / 64): one bit per point
    //! of the grid plus 1/64 of that for the index, so that the points a resume of a
    //! 10^9-point grid still lacks take 140 MB, not an 8-GB list of indices.
    static PointList of_bitmap(std::vector<std::uint64_t> bits);

    std::int64_t size() const { return explicit_ ? static_cast<std::int64_t>(indices_.size()) : n_; }
    std::int64_t operator[](std::int64_t position) const {
        if (bitmap_) return select(position);
        return explicit_ ? indices_[static_cast<std::size_t>(position)] : position;
    }

private:
    std::int64_t select(std::int64_t position) const;

    bool explicit_ = false;
    bool bitmap_ = false;
    std::int64_t n_ = 0;
    std::vector<std::int64_t> indices_;
    std::vector<std::uint64_t> bits_;
    std::vector<std::int64_t> block_start_;  // set bits before each block of kBlockWords words
};

//! Positions begin, begin+stride, ... < end of a PointList.
struct Chunk {
    std::int64_t begin = 0;
    std::int64_t end = 0;
    std::int64_t stride = 1;

    std::int64_t count() const { return end > begin ? (end - begin + stride - 1) / stride : 0; }
};

//! The static share of `rank` among `ranks` for `block` (contiguous, sizes differ by at most
//! one) or `cyclic` (position ≡ rank mod ranks) over `n` positions.
Chunk static_share(Schedule schedule, std::int64_t n, int rank, int ranks);

//! Guided chunk size: ceil(remaining / (2·ranks)), clamped to [1, max_chunk].
std::int64_t guided_chunk_size(std::int64_t remaining, int ranks, std::int64_t max_chunk);

//! The shared counter of the dynamic schedule. Thread-safe: on rank 0 the dispatcher and the
//! computing thread take from the same counter.
class GuidedCounter {
public:
    GuidedCounter(std::int64_t n, int ranks, std::int64_t max_chunk = 1024);
    //! The next chunk, or nullopt when every position has been handed out.
    std::optional<Chunk> take();
    //! Stop handing out work (signal or deadline): later take() calls return nullopt.
    void close();

private:
    std::mutex mutex_;
    std::int64_t next_ = 0;
    std::int64_t n_;
    int ranks_;
    std::int64_t max_chunk_;
};

//! The chunks GuidedCounter hands out, numbered in the order it hands them out: chunk t
//! depends on t alone (a guided size depends only on what is left, i.e. on how many chunks
//! were taken before), so a bare atomic ticket counter (MPI_Fetch_and_op, one integer, no
//! dispatcher) gives the same chunks as GuidedCounter. The leading chunks of max_chunk points
//! are computed, not stored; the shrinking tail (≈ 2·ranks·ln(max_chunk) + 2·ranks chunks) is.
class GuidedPlan {
public:
    GuidedPlan(std::int64_t n, int ranks, std::int64_t max_chunk = 1024);
    //! How many chunks there are in all.
    std::int64_t count() const { return full_ + static_cast<std::int64_t>(tail_.size()) - 1; }
    //! Chunk number `ticket` (0-based), or nullopt for a ticket ≥ count() (no work left).
    std::optional<Chunk> chunk(std::int64_t ticket) const;

private:
    std::int64_t full_ = 0;             // leading chunks of exactly max_chunk points
    std::int64_t max_chunk_ = 1;
    std::vector<std::int64_t> tail_;  // boundaries of the rest: tail chunk i is [tail_[i], tail_[i+1])
};

}  // namespace kinmap
