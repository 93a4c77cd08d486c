#include "core/text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>

namespace nightout {

std::string value_text(const Value& v) {
    if (auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto* d = std::get_if<double>(&v)) {
        if (std::floor(*d) == *d && std::fabs(*d) < 1e15) return std::to_string(static_cast<long long>(*d));
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.15g", *d);
        return buf;
    }
    if (auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
}

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trimmed(std::string_view t) {
    while (!t.empty() && blank(t.front())) t.remove_prefix(1);
    while (!t.empty() && blank(t.back())) t.remove_suffix(1);
    return t;
}

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string trim(std::string_view text) { return std::string(trimmed(text)); }

std::string lower(std::string_view text) {
    std::string s(text);
    for (char& c : s) c = lower_char(c);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower_char(a[i]) != lower_char(b[i])) return false;
    return true;
}

std::optional<double> parse_number(std::string_view text) {
    std::string_view t = trimmed(text);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);  // from_chars takes no '+'
    if (t.empty()) return std::nullopt;
    double v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::general);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<long long> parse_integer(std::string_view text) {
    std::string_view t = trimmed(text);
    if (!t.empty() && t.front() == '+') t.remove_prefix(1);
    if (t.empty()) return std::nullopt;
    long long v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return v;
}

void append_number(std::string& out, double value) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, ec == std::errc() ? end : buf);
}

void append_fixed(std::string& out, double value, int decimals) {
    // Fast path: round value x 10^decimals to an integer and place the point. Exact whenever the
    // product is below 2^33 (its rounding error is then under 1e-6) and not within 2e-6 of a
    // half, where the exact value and the product round alike; otherwise std::to_chars decides.
    static constexpr double kScale[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
    if (decimals >= 0 && decimals <= 6 && value >= 0 && !std::signbit(value)) {
        const double scaled = value * kScale[decimals];
        if (scaled < 8589934592.0) {
            const double whole = std::floor(scaled), frac = scaled - whole;
            if (std::abs(frac - 0.5) > 2e-6) {
                char digits[24];
                const auto units = static_cast<std::uint64_t>(whole) + (frac > 0.5 ? 1 : 0);
                const auto len = static_cast<int>(std::to_chars(digits, digits + sizeof digits, units).ptr - digits);
                char buf[32];
                char* p = buf;
                const int int_digits = len - decimals;
                if (int_digits <= 0) {  // 0.00d...
                    *p++ = '0';
                    if (decimals) *p++ = '.';
                    for (int k = 0; k < -int_digits; ++k) *p++ = '0';
                    for (int k = 0; k < len; ++k) *p++ = digits[k];
                } else {
                    for (int k = 0; k < int_digits; ++k) *p++ = digits[k];
                    if (decimals) *p++ = '.';
                    for (int k = int_digits; k < len; ++k) *p++ = digits[k];
                }
                out.append(buf, p);
                return;
            }
        }
    }
    char buf[352];  // the longest double in fixed notation with up to 20 decimals
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
    out.append(buf, ec == std::errc() ? end : buf);
}

std::string format_number(double value) {
    std::string s;
    append_number(s, value);
    return s;
}

std::string format_fixed(double value, int decimals) {
    std::string s;
    append_fixed(s, value, decimals);
    return s;
}

}  // namespace nightout
