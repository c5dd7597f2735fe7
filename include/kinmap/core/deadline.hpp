#pragma once
//! \file
//! A point in wall-clock time after which work should stop (per-point limits, --deadline).

#include <chrono>
#include <limits>

namespace kinmap {

//! A wall-clock deadline on the steady clock; `Deadline()` never expires.
class Deadline {
public:
    using Clock = std::chrono::steady_clock;

    Deadline() = default;
    //! The deadline `seconds` from now; `seconds <= 0` or infinite means none.
    static Deadline after(double seconds) {
        Deadline d;
        if (seconds > 0.0 && seconds < 1e9) {
            d.at_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(seconds));
            d.active_ = true;
        }
        return d;
    }
    //! The earlier of two deadlines.
    static Deadline earliest(const Deadline& a, const Deadline& b) {
        if (!a.active_) return b;
        if (!b.active_) return a;
        return a.at_ <= b.at_ ? a : b;
    }
    bool expired() const { return active_ && Clock::now() >= at_; }
    bool active() const { return active_; }

private:
    Clock::time_point at_{};
    bool active_ = false;
};

}  // namespace kinmap
