// `nightout program`: its flags and its run, kept out of main.cpp (which only adds it).
#pragma once

#include "cli/bind.hpp"
#include "core/log.hpp"
#include "engine/study.hpp"
#include "jobs/program_job.hpp"
#include "program/options.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace nightout::cli {

class ProgramCommand {
public:
    explicit ProgramCommand(CLI::App& app) {
        cmd_ = app.add_subcommand("program", "a year-round outreach calendar: which site on which date, so every area is reached again and again");
        cmd_->add_option("--areas", job_.areas.path, "neighborhood polygons with a population field")->required();
        cmd_->add_option("--areas-layer", job_.areas.layer, "layer of the areas file");
        cmd_->add_option("--areas-id", job_.areas.id_field, "id field of the areas (default: detected)");
        cmd_->add_option("--population-field", job_.population_field, "residents per area")->required();
        cmd_->add_option("--priority-field", job_.priority_field, "a weight per area multiplying its residents (default 1)");
        cmd_->add_option("--candidates", candidates_, "candidate site point file(s), comma-separated (optional fields: days, months, indoor)")->delimiter(',')->required();
        cmd_->add_option("--indoor", job_.indoor, "candidate files whose sites are indoor (used all year), comma-separated")->delimiter(',');
        cmd_->add_option("--fixed", job_.fixed.path, "fixed events: points with a date field (YYYY-MM-DD), e.g. National Night Out");
        cmd_->add_option("--stations", job_.stations.path, "police station points, named by the teams' start field");
        cmd_->add_option("--teams", job_.teams.path, "teams: id, name, start (station), weekly_hours");
        cmd_->add_option("--network", job_.network.path, "reach along streets: a .graph file, an OSM extract or a centerline layer");
        profile_ = cmd_->add_option("--profile", job_.network.profile, "walk, bike, drive (default) or a profile file, with --network");
        cmd_->add_option("--out", job_.out_dir, "output folder")->required();
        options_ = std::make_unique<BoundOptions<ProgramJob>>(cmd_, options::program_schema());
    }

    bool parsed() const { return cmd_->parsed(); }

    int run(Log& log, unsigned threads) {
        options_->apply(job_);
        for (const std::string& p : candidates_) {
            InputSpec s;
            s.path = p;
            job_.candidates.push_back(s);
        }
        job_.network.profile_given = profile_->count() > 0;
        Study study(log, threads);
        const api::ProgramResult r = run_program(job_, study);
        const auto& o = r.objective;
        const auto& t = r.target;
        std::printf("%zu events (%s) at %zu candidate sites, %s to %s (%zu windows of %d days)\n", r.events, r.cadence.c_str(), r.candidate_sites,
                    r.from.c_str(), r.to.c_str(), r.windows, r.window_days);
        std::printf("  objective %.0f weighted area-windows; bound %.0f, gap %.2f%%%s; solved in %.2f s\n", o.value, o.bound, 100 * o.gap,
                    o.proven_optimal ? " (optimal)" : "", r.solve_seconds);
        std::printf("  %zu of %zu areas reached in every window; %.0f of %.0f residents reached at least once (%.1f%%)\n", t.areas_meeting, r.areas,
                    r.residents_reached_once, r.residents, 100 * r.residents_reached_share);
        if (r.staffing)
            std::printf("  staffing: %zu unstaffed event(s); team hours %.0f to %.0f (sd %.1f), %.0f km travelled\n", r.staffing->unstaffed_events,
                        r.staffing->hours_min, r.staffing->hours_max, r.staffing->hours_sd, r.staffing->travel_km);
        return 0;
    }

private:
    CLI::App* cmd_ = nullptr;
    CLI::Option* profile_ = nullptr;
    ProgramJob job_;
    std::vector<std::string> candidates_;
    std::unique_ptr<BoundOptions<ProgramJob>> options_;
};

}  // namespace nightout::cli
