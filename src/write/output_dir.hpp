// All-or-nothing outputs: files are written into a hidden staging folder beside the
// destination, which is swapped into place in one step only when the whole job succeeded,
// so that a kill at any instant leaves either the whole previous result or the whole new one.
// A lock on the destination keeps a second run out while one writes it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nightout {

class OutputDir {
public:
    // Checks that `destination` can be a folder, locks it (another run holding it is an Output
    // error naming it and that run's PID), applies the recovery rule to what killed runs left
    // (see commit) and creates the staging folder; throws an Output error naming the folder
    // when it cannot be written. An existing folder that is not empty must hold a summary.json
    // (be a nightout result): a rerun replaces the whole folder.
    explicit OutputDir(const std::filesystem::path& destination);
    ~OutputDir();  // removes the staging folder (and any parents it created) unless committed; unlocks
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    std::filesystem::path file(const std::string& name) const { return staging_ / name; }
    const std::filesystem::path& destination() const { return destination_; }
    // Replaces the destination folder by the staged one in one step (Linux renameat2 with
    // RENAME_EXCHANGE; elsewhere the old folder is renamed aside to .NAME.nightout-old-PID first,
    // and a later run that finds the destination missing renames that back). Nothing of an
    // earlier run survives. Returns the names of the files and folders written.
    std::vector<std::string> commit();

private:
    std::filesystem::path destination_, staging_, lock_path_;
    std::vector<std::filesystem::path> created_parents_;
    int lock_fd_ = -1;
    bool committed_ = false;
};

// Refuses (a Usage error, exit 2) an output path that is one of `inputs`, or a folder that is or
// contains the folder of any of them: replacing it would destroy the input.
void refuse_output_over_inputs(const std::filesystem::path& out, const std::vector<std::string>& inputs);

// A single output file written through a temporary name in the same folder.
class OutputFile {
public:
    explicit OutputFile(const std::filesystem::path& destination);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    const std::filesystem::path& temp() const { return temp_; }
    void commit();

private:
    void remove_created_parents();
    std::filesystem::path destination_, temp_;
    std::vector<std::filesystem::path> created_parents_;  // folders this file made, removed when it is not committed
    bool committed_ = false;
};

}  // namespace nightout
