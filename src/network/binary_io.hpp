// The binary network file, written and read through a checksum: length-prefixed arrays
// whose lengths are bounded by the bytes left in the file, so a damaged or hostile file
// fails with a message instead of reading out of bounds or allocating without limit.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <cstring>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace nightout {

// A 64-bit checksum of a byte stream, fed in pieces of any size: 8-byte words through a
// multiply-rotate round, then a final avalanche (the constants are the 64-bit golden
// ratio and the finaliser of MurmurHash3). It detects damage, not tampering.
class Checksum {
public:
    void update(const void* data, std::size_t n) {
        if (n == 0) return;  // an empty vector's data() may be null, which memcpy must not get
        const auto* p = static_cast<const unsigned char*>(data);
        total_ += n;
        if (pending_ > 0) {  // finish the word begun by the last call
            const std::size_t take = n < 8 - pending_ ? n : 8 - pending_;
            std::memcpy(word_ + pending_, p, take);
            pending_ += take, p += take, n -= take;
            if (pending_ == 8) mix_pending();
        }
        for (; n >= 8; n -= 8, p += 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            mix(w);
        }
        if (n > 0) {  // then pending_ is 0
            std::memcpy(word_, p, n);
            pending_ = n;
        }
    }
    std::uint64_t value() const {
        std::uint64_t tail = 0;
        std::memcpy(&tail, word_, pending_);
        std::uint64_t h = state_ ^ round(tail) ^ (total_ * 0x9E3779B97F4A7C15ull);
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53ull;
        h ^= h >> 33;
        return h;
    }

private:
    static std::uint64_t round(std::uint64_t w) {
        w *= 0xC2B2AE3D27D4EB4Full;
        w = (w << 31) | (w >> 33);
        return w * 0x9E3779B97F4A7C15ull;
    }
    void mix(std::uint64_t w) {
        state_ ^= round(w);
        state_ = ((state_ << 27) | (state_ >> 37)) * 0x9E3779B97F4A7C15ull + 0x85EBCA77C2B2AE63ull;
    }
    void mix_pending() {
        std::uint64_t w;
        std::memcpy(&w, word_, 8);
        mix(w);
        pending_ = 0;
    }
    std::uint64_t state_ = 0x27D4EB2F165667C5ull, total_ = 0;
    unsigned char word_[8] = {};
    std::size_t pending_ = 0;
};

class BinaryWriter {
public:
    explicit BinaryWriter(std::ostream& out) : out_(out) {}
    void write(const void* data, std::size_t n) {
        out_.write(static_cast<const char*>(data), static_cast<std::streamsize>(n));
        sum_.update(data, n);
    }
    // Appends the checksum of everything written so far; the file's last 8 bytes.
    void write_checksum() {
        std::uint64_t h = sum_.value();
        out_.write(reinterpret_cast<const char*>(&h), sizeof h);
    }

private:
    std::ostream& out_;
    Checksum sum_;
};

class BinaryReader {
public:
    // `in` must be seekable: the bytes left bound every length read from the file.
    BinaryReader(std::istream& in, std::string path) : in_(in), path_(std::move(path)) {
        auto here = in_.tellg();
        in_.seekg(0, std::ios::end);
        auto end = in_.tellg();
        in_.seekg(here);
        left_ = here >= 0 && end >= here ? static_cast<std::uint64_t>(end - here) : 0;
    }
    const std::string& path() const { return path_; }
    std::uint64_t left() const { return left_; }

    void read(void* data, std::size_t n, const std::string& what) {
        if (n == 0) return;
        if (n > left_) fail(what + ": the file ends " + std::to_string(n - left_) + " bytes early (truncated)");
        in_.read(static_cast<char*>(data), static_cast<std::streamsize>(n));
        if (!in_) fail(what + ": read error");
        sum_.update(data, n);
        left_ -= n;
    }
    template <typename T>
    T read_value(const std::string& what) {
        T v;
        read(&v, sizeof v, what);
        return v;
    }
    // The stored checksum must match the bytes read, and nothing may follow it.
    void verify_checksum() {
        std::uint64_t expected = sum_.value(), stored = 0;
        if (left_ < sizeof stored) fail("checksum: the file ends early (truncated)");
        in_.read(reinterpret_cast<char*>(&stored), sizeof stored);
        left_ -= sizeof stored;
        if (!in_) fail("checksum: read error");
        if (stored != expected) fail("checksum mismatch: the file was changed or damaged after it was built");
        if (left_ != 0) fail(std::to_string(left_) + " unexpected bytes after the end of the data");
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw_input(path_ + ": damaged graph file (" + what + "); rebuild it with `nightout graph build`");
    }

private:
    std::istream& in_;
    std::string path_;
    std::uint64_t left_ = 0;
    Checksum sum_;
};

template <typename T>
void write_vector(BinaryWriter& out, const std::vector<T>& v) {
    std::uint64_t n = v.size();
    out.write(&n, sizeof n);
    out.write(v.data(), n * sizeof(T));
}

// `what` names the array in the error, e.g. "head" or "hierarchy up_first".
template <typename T>
void read_vector(BinaryReader& in, std::vector<T>& v, const std::string& what) {
    const auto n = in.read_value<std::uint64_t>(what + " length");
    if (n > in.left() / sizeof(T))
        in.fail(what + ": length " + std::to_string(n) + " needs " + (n > UINT64_MAX / sizeof(T) ? std::string("more") : std::to_string(n * sizeof(T))) +
                " bytes but only " + std::to_string(in.left()) + " are left");
    v.resize(n);
    in.read(v.data(), n * sizeof(T), what);
}

}  // namespace nightout
