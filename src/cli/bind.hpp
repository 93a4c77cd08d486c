// Binds an option schema (src/options) to a CLI11 command: every declared flag is added with
// its help, and after parsing each flag given is applied through the schema's one rule.
#pragma once

#include "options/schema.hpp"

#include <CLI/CLI.hpp>

#include <map>
#include <string>

namespace nightout::cli {

template <class Target>
class BoundOptions {
public:
    BoundOptions(CLI::App* cmd, const options::Schema<Target>& schema) : schema_(schema) {
        for (const auto& o : schema) {
            if (o.flag.empty()) continue;
            if (o.is_switch) given_[o.flag] = cmd->add_flag(o.flag, switches_[o.flag], o.help);
            else given_[o.flag] = cmd->add_option(o.flag, texts_[o.flag], o.help);
        }
    }

    // Applies the flags given on the command line to `target`.
    void apply(Target& target) const {
        for (const auto& o : schema_) {
            if (o.flag.empty() || given_.at(o.flag)->count() == 0) continue;
            std::string name = o.flag;  // "-k,--sites" is named "-k/--sites"
            for (char& c : name)
                if (c == ',') c = '/';
            const options::Origin origin{options::Origin::Kind::CommandLine, name};
            if (o.is_switch) o.apply(target, switches_.at(o.flag), origin);
            else o.apply(target, texts_.at(o.flag), origin);
        }
    }

private:
    const options::Schema<Target>& schema_;
    std::map<std::string, std::string> texts_;
    std::map<std::string, bool> switches_;
    std::map<std::string, CLI::Option*> given_;
};

}  // namespace nightout::cli
