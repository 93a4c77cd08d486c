#include "jobs/rejected.hpp"

#include "write/csv.hpp"

namespace nightout {

std::size_t rejected_count(const std::vector<const Dataset*>& inputs) {
    std::size_t n = 0;
    for (const Dataset* ds : inputs)
        if (ds) n += ds->rejected.size();
    return n;
}

nlohmann::json rejected_json(const std::vector<const Dataset*>& inputs) {
    nlohmann::json by_input = nlohmann::json::object();
    for (const Dataset* ds : inputs)
        if (ds && !ds->rejected.empty()) by_input[ds->path] = ds->rejected.size();
    return {{"count", rejected_count(inputs)}, {"by_input", by_input}};
}

void write_rejected(const std::vector<const Dataset*>& inputs, const std::filesystem::path& path, const std::string& shown) {
    CsvWriter csv(path, shown);
    csv.text("file").text("line").text("reason").text("raw");
    csv.end_row();
    for (const Dataset* ds : inputs) {
        if (!ds) continue;
        for (const RejectedRow& r : ds->rejected) {
            csv.text(ds->path);
            if (r.where.rfind("line ", 0) == 0) csv.text(r.where.substr(5));
            else csv.text(r.where);
            csv.text(r.reason).text(r.raw);
            csv.end_row();
        }
    }
    csv.close();
}

}  // namespace nightout
