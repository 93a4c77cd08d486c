// All-or-nothing outputs: files are written into a hidden staging folder beside
// the destination and renamed into place only when the whole job succeeded.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace nightout {

class OutputDir {
public:
    // Checks that `destination` can be a folder and creates the staging folder;
    // throws an Output error naming the folder when it cannot be written.
    explicit OutputDir(const std::filesystem::path& destination);
    ~OutputDir();  // removes the staging folder (and any parents it created) unless committed
    OutputDir(const OutputDir&) = delete;
    OutputDir& operator=(const OutputDir&) = delete;

    std::filesystem::path file(const std::string& name) const { return staging_ / name; }
    const std::filesystem::path& destination() const { return destination_; }
    // Moves every staged file and subfolder into the destination folder (replacing those of the same name).
    std::vector<std::string> commit();

private:
    std::filesystem::path destination_, staging_;
    std::vector<std::filesystem::path> created_parents_;
    bool committed_ = false;
};

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
    std::filesystem::path destination_, temp_;
    bool committed_ = false;
};

}  // namespace nightout
