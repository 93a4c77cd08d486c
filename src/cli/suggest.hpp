// "Did you mean" for typing mistakes on the command line: an unknown command or flag is
// compared (edit distance) with the names the command knows, and CLI11's message is
// replaced by one that names the mistake and the nearest known names.
#pragma once

#include <CLI/CLI.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace nightout::cli {

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
// two neighbouring characters each cost 1 ("raduis" is 1 from "radius").
inline std::size_t edit_distance(const std::string& a, const std::string& b) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

// The known names nearest to `given` (at most 3), when near enough to be a typing mistake:
// within a third of its length (at least 2), or one that starts with it.
inline std::vector<std::string> nearest_names(const std::string& given, const std::vector<std::string>& known) {
    const std::size_t limit = std::max<std::size_t>(2, given.size() / 3);
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const std::string& k : known) {
        std::size_t d = edit_distance(given, k);
        if (d > limit && !(given.size() >= 3 && k.compare(0, given.size(), given) == 0)) continue;
        scored.emplace_back(d, k);
    }
    std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::string> out;
    for (const auto& [d, k] : scored)
        if (out.size() < 3 && std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    return out;
}

inline std::string did_you_mean(const std::vector<std::string>& names) {
    if (names.empty()) return {};
    std::string s = "; did you mean ";
    for (std::size_t i = 0; i < names.size(); ++i) s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
    return s + "?";
}

// A message for a parse error caused by an unknown command or flag; empty when the error
// is of another kind (CLI11's own message then stands).
inline std::string explain_typo(CLI::App& app, int argc, char** argv) {
    const auto all = [](CLI::App*) { return true; };
    // The option named `arg` (--name, --name=value or -x) of `cmd` or a command above it.
    const auto option_of = [](CLI::App* cmd, const std::string& arg) -> const CLI::Option* {
        const bool is_long = arg.rfind("--", 0) == 0;
        const std::string name = is_long ? arg.substr(2, arg.find('=') == std::string::npos ? std::string::npos : arg.find('=') - 2) : arg.substr(1);
        for (CLI::App* c = cmd; c; c = c->get_parent())
            for (const CLI::Option* o : c->get_options())
                for (const std::string& n : is_long ? o->get_lnames() : o->get_snames())
                    if (n == name) return o;
        return nullptr;
    };
    // Walk down the commands as given (nightout graph build ...).
    CLI::App* cmd = &app;
    std::string unknown_flag;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.size() > 1 && arg[0] == '-') {
            const CLI::Option* o = option_of(cmd, arg);
            if (!o && unknown_flag.empty() && arg.rfind("--", 0) == 0) unknown_flag = arg.substr(0, arg.find('='));
            // Skip the value of an option that takes one.
            if (o && o->get_type_size() != 0 && arg.find('=') == std::string::npos) ++i;
            continue;
        }
        const auto subs = cmd->get_subcommands(all);
        if (subs.empty()) continue;  // a positional argument (plan FILE, graph build INPUT)
        CLI::App* sub = nullptr;
        for (CLI::App* s : subs)
            if (s->get_name() == arg) sub = s;
        if (sub) {
            cmd = sub;
            continue;
        }
        std::vector<std::string> names;
        std::string list;
        for (CLI::App* s : subs) {
            names.push_back(s->get_name());
            list += (list.empty() ? "" : ", ") + s->get_name();
        }
        return "unknown command '" + arg + "'" + did_you_mean(nearest_names(arg, names)) + " (commands: " + list + ")";
    }
    if (unknown_flag.empty()) return {};
    std::vector<std::string> known;
    for (CLI::App* c = cmd; c; c = c->get_parent())
        for (const CLI::Option* o : c->get_options())
            for (const std::string& l : o->get_lnames()) known.push_back("--" + l);
    std::string where = cmd->get_name();
    for (CLI::App* c = cmd->get_parent(); c; c = c->get_parent()) where = (c->get_parent() ? c->get_name() : std::string("nightout")) + " " + where;
    if (cmd == &app) where = "nightout";
    return "unknown flag " + unknown_flag + " for " + where + did_you_mean(nearest_names(unknown_flag, known));
}

}  // namespace nightout::cli
