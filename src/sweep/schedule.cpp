#include "kinmap/sweep/schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace kinmap {

Schedule parse_schedule(const std::string& name) {
    if (name == "dynamic") return Schedule::dynamic;
    if (name == "block") return Schedule::block;
    if (name == "cyclic") return Schedule::cyclic;
    throw std::invalid_argument("unknown schedule '" + name +
                                "' (expected dynamic, block or cyclic)");
}

std::string to_string(Schedule schedule) {
    switch (schedule) {
        case Schedule::dynamic: return "dynamic";
        case Schedule::block: return "block";
        case Schedule::cyclic: return "cyclic";
    }
    return "?";
}

PointList PointList::all(std::int64_t n) {
    PointList list;
    list.n_ = n;
    return list;
}

PointList PointList::of(std::vector<std::int64_t> indices) {
    PointList list;
    list.explicit_ = true;
    list.indices_ = std::move(indices);
    list.n_ = static_cast<std::int64_t>(list.indices_.size());
    return list;
}

namespace {
constexpr std::size_t kBlockWords = 8;
}

PointList PointList::of_bitmap(std::vector<std::uint64_t> bits) {
    PointList list;
    list.bitmap_ = true;
    list.bits_ = std::move(bits);
    std::int64_t count = 0;
    for (std::size_t w = 0; w < list.bits_.size(); ++w) {
        if (w % kBlockWords == 0) list.block_start_.push_back(count);
        count += __builtin_popcountll(list.bits_[w]);
    }
    list.n_ = count;
    return list;
}

std::int64_t PointList::select(std::int64_t position) const {
    // The block holding the position-th set bit, then the word, then the bit.
    const auto block = static_cast<std::size_t>(
        std::upper_bound(block_start_.begin(), block_start_.end(), position) - block_start_.begin() - 1);
    std::int64_t left = position - block_start_[block];
    for (std::size_t w = block * kBlockWords; w < bits_.size(); ++w) {
        std::uint64_t word = bits_[w];
        const int c = __builtin_popcountll(word);
        if (left < c) {
            for (; left > 0; --left) word &= word - 1;
            return static_cast<std::int64_t>(w) * 64 + __builtin_ctzll(word);
        }
        left -= c;
    }
    return -1;  // position >= size(): a caller bug
}

Chunk static_share(Schedule schedule, std::int64_t n, int rank, int ranks) {
    if (schedule == Schedule::cyclic) return {rank, n, ranks};
    // Block: the first n % ranks ranks take one point more.
    const std::int64_t base = n / ranks;
    const std::int64_t extra = n % ranks;
    const std::int64_t begin = rank * base + std::min<std::int64_t>(rank, extra);
    const std::int64_t size = base + (rank < extra ? 1 : 0);
    return {begin, begin + size, 1};
}

std::int64_t guided_chunk_size(std::int64_t remaining, int ranks, std::int64_t max_chunk) {
    const std::int64_t guided = (remaining + 2 * ranks - 1) / (2 * ranks);
    return std::clamp<std::int64_t>(guided, 1, std::max<std::int64_t>(max_chunk, 1));
}

GuidedCounter::GuidedCounter(std::int64_t n, int ranks, std::int64_t max_chunk)
    : n_(n), ranks_(ranks), max_chunk_(max_chunk) {}

std::optional<Chunk> GuidedCounter::take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (next_ >= n_) return std::nullopt;
    const std::int64_t size = guided_chunk_size(n_ - next_, ranks_, max_chunk_);
    Chunk chunk{next_, next_ + size, 1};
    next_ += size;
    return chunk;
}

void GuidedCounter::close() {
    std::lock_guard<std::mutex> lock(mutex_);
    next_ = n_;
}

GuidedPlan::GuidedPlan(std::int64_t n, int ranks, std::int64_t max_chunk)
    : max_chunk_(std::max<std::int64_t>(max_chunk, 1)) {
    // The same arithmetic as GuidedCounter::take, once: a full chunk while the guided size is
    // clamped to max_chunk (it never grows again as the remainder shrinks), then the tail.
    std::int64_t next = 0;
    while (next < n && guided_chunk_size(n - next, ranks, max_chunk_) == max_chunk_) {
        next += max_chunk_;
        ++full_;
    }
    next = std::min(next, n);
    tail_.push_back(next);
    while (next < n) {
        next += guided_chunk_size(n - next, ranks, max_chunk_);
        tail_.push_back(next);
    }
}

std::optional<Chunk> GuidedPlan::chunk(std::int64_t ticket) const {
    if (ticket < 0 || ticket >= count()) return std::nullopt;
    if (ticket < full_) return Chunk{ticket * max_chunk_, (ticket + 1) * max_chunk_, 1};
    const auto i = static_cast<std::size_t>(ticket - full_);
    return Chunk{tail_[i], tail_[i + 1], 1};
}

}  // namespace kinmap
