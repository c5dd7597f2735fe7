// kinmap: the one command-line interface. Thin: parse arguments, call the library, print,
// and map errors to exit codes (0 done, 1 other failure, 2 bad input or usage, 3 stopped
// early but resumable). Every error line starts with "[rank r]".
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "kinmap/core/error.hpp"
#include "kinmap/core/version.hpp"

namespace {

int exit_code_for(const std::exception& e) {
    if (dynamic_cast<const kinmap::InputError*>(&e) != nullptr) return kinmap::app::kExitInput;
    return kinmap::app::kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace kinmap::app;
    CLI::App cli{
        "kinmap " + std::string(kinmap::kVersion) +
        ": microkinetic maps. For every point of a 2-D grid of conditions (by default two\n"
        "partial pressures) kinmap finds the steady state that a surface reaches from clean,\n"
        "and writes turnover frequencies, coverages and diagnostics to one HDF5 file.\n"
        "Run a sweep in parallel with: mpirun -n 4 kinmap run MODEL.toml -o map.h5"};
    cli.require_subcommand(1);
    cli.set_version_flag("--version", std::string(kinmap::kVersion));

    CheckOptions check;
    auto* check_cmd = cli.add_subcommand(
        "check", "Read and validate a model file; list its species, steps and rate constants at "
                 "the model temperature. Exit 0 if valid, 2 if not.");
    check_cmd->add_option("MODEL.toml", check.model, "model file (TOML)")->required();

    PointOptions point;
    auto* point_cmd = cli.add_subcommand(
        "point", "Solve one point: the steady state reached from a clean surface at the model's "
                 "conditions, changed with --set. Exit 0 if the status is OK, 1 if not.");
    point_cmd->add_option("MODEL.toml", point.model, "model file (TOML)")->required();
    point_cmd->add_option("--set", point.sets,
                          "AXIS=VALUE: a partial pressure in bar (p_O2_g=0.1, any gas of the "
                          "model, swept or not), the temperature in K (T_K=600, models with "
                          "energies), or a species free energy in eV (G_CO_s=1.6); repeatable")
        ->type_name("AXIS=VALUE")
        ->allow_extra_args(false);
    point_cmd->add_flag("--json", point.json,
                        "print one JSON object on stdout (status, tof, coverage, rates, residual, "
                        "stable, ode_steps, newton_iterations, ...) and nothing else");
    point_cmd->add_flag("--all-states", point.all_states,
                        "also find every steady state, stable and unstable (JSON \"states\"; "
                        "as [solver] all_states = true)");

    RunOptions run;
    auto* run_cmd = cli.add_subcommand(
        "run", "Compute the whole [sweep] grid (alone, or under mpirun -n P) and write OUT.h5. "
               "Exit 3 if stopped early by a signal or --deadline (continue with --resume).");
    run_cmd->add_option("MODEL.toml", run.model, "model file (TOML)")->required();
    run_cmd->add_option("-o,--output", run.output, "output HDF5 file (written as OUT.h5.partial, "
                                                   "renamed when complete)")
        ->required();
    run_cmd->add_option("--schedule", run.schedule,
                        "how points are shared between ranks: dynamic (default; guided chunks "
                        "from a shared counter), block or cyclic (static)")
        ->check(CLI::IsMember({"dynamic", "block", "cyclic"}));
    run_cmd->add_flag("--no-lanes", run.no_lanes,
                      "solve one point at a time instead of several in SIMD lanes (the results "
                      "are the same bit for bit; for timing comparisons)");
    run_cmd->add_flag("--resume", run.resume,
                      "continue an interrupted run of the same input from OUT.h5.partial");
    run_cmd->add_option("--deadline", run.deadline_s,
                        "stop taking new points after SECONDS of wall time, save, exit 3")
        ->check(CLI::PositiveNumber);
    run_cmd->add_option("--shard", run.shard,
                        "K/N: compute only the points k with k mod N == K into OUT.h5 (one job "
                        "of N, e.g. a Slurm array task); combine the N files with kinmap merge")
        ->type_name("K/N");
    run_cmd->add_option("--max-failed-fraction", run.max_failed_fraction,
                        "exit 1 (after writing the map) when more than this fraction of the points "
                        "did not reach an OK steady state (default 0.01; 1 never fails)")
        ->check(CLI::Range(0.0, 1.0));
    run_cmd->add_flag("--progress", run.progress,
                      "print progress (points, points/s, ETA) to stderr even when it is not a "
                      "terminal");
    run_cmd->add_flag("--all-states", run.all_states,
                      "also find every steady state of each point and the fold curves "
                      "(/n_states, /states_*, /fold; as [solver] all_states = true)");

    ScalingCommandOptions scaling;
    auto* scaling_cmd = cli.add_subcommand(
        "scaling", "Core-count scaling study inside one mpirun: the model's sweep on 1, 2, 4, ... "
                   "of the job's ranks (the rest wait), repeated; speedup, efficiency, load "
                   "balance and Karp-Flatt serial fraction to SCALING.h5 (/scaling) and a CSV.");
    scaling_cmd->add_option("MODEL.toml", scaling.model, "model file (TOML)")->required();
    scaling_cmd->add_option("-o,--output", scaling.output, "output HDF5 file; the CSV goes beside it")
        ->required();
    scaling_cmd->add_option("--ranks", scaling.ranks, "rank counts, e.g. 1,2,4 (default 1,2,4)")
        ->delimiter(',');
    scaling_cmd->add_option("--repeats", scaling.repeats, "repeats of each measurement (default 3)")
        ->check(CLI::PositiveNumber);
    scaling_cmd->add_option("--mode", scaling.modes,
                            "strong (fixed grid) and/or weak (grid grows with the ranks), e.g. "
                            "strong,weak (default strong)")
        ->delimiter(',')
        ->check(CLI::IsMember({"strong", "weak"}));
    scaling_cmd->add_option("--schedules", scaling.schedules,
                            "schedules to compare, e.g. dynamic,block,cyclic (default dynamic)")
        ->delimiter(',')
        ->check(CLI::IsMember({"dynamic", "block", "cyclic"}));
    scaling_cmd->add_option("--simulate", scaling.simulate,
                            "also predict these rank counts, e.g. 64,256,1024, by replaying the "
                            "measured per-point costs and message latency through each schedule")
        ->delimiter(',');

    FoldOptions fold;
    auto* fold_cmd = cli.add_subcommand(
        "fold", "Every fold (saddle-node) point along one axis, the other conditions fixed: where "
                "two steady states meet, by Newton on steady state + singular Jacobian.");
    fold_cmd->add_option("MODEL.toml", fold.model, "model file (TOML)")->required();
    fold_cmd->add_option("--along", fold.along, "the axis to vary, e.g. p_CO_g")->required();
    fold_cmd->add_option("--set", fold.sets, "AXIS=VALUE: the other conditions, as for point; repeatable")
        ->type_name("AXIS=VALUE")
        ->allow_extra_args(false);
    fold_cmd->add_flag("--json", fold.json,
                       "print one JSON object {\"along\", \"folds\": [{\"value\", \"tof\", "
                       "\"coverage\"}, ...]} and nothing else");
    fold_cmd->add_option("--from", fold.from, "lower end of the search (default: the sweep's)");
    fold_cmd->add_option("--to", fold.to, "upper end of the search (default: the sweep's)");
    fold_cmd->add_option("--scan", fold.scan,
                         "values scanned for changes of the number of states (default: 4 per "
                         "grid point of the sweep on that axis, at least 64)");

    MergeOptions merge;
    auto* merge_cmd = cli.add_subcommand(
        "merge", "Combine the N shard files of one input (kinmap run --shard K/N) into OUT.h5, "
                 "the file a single run would have written. Refuses shards of different inputs.");
    merge_cmd->add_option("OUT.h5", merge.output, "merged output file")->required();
    merge_cmd->add_option("SHARD.h5", merge.shards, "shard files, all N of them")->required();

    std::string info_path;
    auto* info_cmd = cli.add_subcommand(
        "info", "Summarise a map file before plotting: grid, status counts, value ranges, "
                "timing, input hash (also for an unfinished OUT.h5.partial).");
    info_cmd->add_option("OUT.h5", info_path, "map file")->required();

    FitScalingOptions fit;
    auto* fit_cmd = cli.add_subcommand(
        "fit-scaling", "Fit linear scaling relations to a CSV table of energies per surface "
                       "(header 'surface,COLUMN,...', one row per surface, eV; an empty cell is "
                       "no value) and print them as TOML [scaling] rows, energy = const + "
                       "sum of coefficient x descriptor, each with its RMS and max residual.");
    fit_cmd->add_option("TABLE.csv", fit.table, "energy table (CSV)")->required();
    fit_cmd->add_option("--descriptors", fit.descriptors,
                        "descriptor columns, the regressors, e.g. E_O,E_CO")
        ->delimiter(',')
        ->required();
    fit_cmd->add_option("--targets", fit.targets,
                        "columns to fit, e.g. O-O_2s (default: every column that is not a "
                        "descriptor)")
        ->delimiter(',');

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help and --version are "errors" with exit code 0 in CLI11.
        // Under mpirun every rank parses the same arguments: rank 0 alone prints.
        if (process_rank() != 0) return e.get_exit_code() == 0 ? kExitOk : kExitInput;
        if (e.get_exit_code() == 0) return cli.exit(e);
        print_error(0, std::string("<command line>: usage: ") + e.what() +
                           "\nRun 'kinmap --help' or 'kinmap SUBCOMMAND --help'.");
        return kExitInput;
    }

    // check, point, fold, merge, info and fit-scaling do not use MPI: under a launcher, rank 0 alone does the
    // work and prints (one JSON object, one message); the other ranks end at once with 0.
    const bool serial_command = check_cmd->parsed() || point_cmd->parsed() || merge_cmd->parsed() ||
                                info_cmd->parsed() || fit_cmd->parsed() || fold_cmd->parsed();
    if (serial_command && process_rank() != 0) return kExitOk;
    try {
        if (check_cmd->parsed()) return run_check(check);
        if (point_cmd->parsed()) return run_point(point);
        if (run_cmd->parsed()) return run_sweep_command(run, argc, argv);
        if (scaling_cmd->parsed()) return run_scaling_command(scaling, argc, argv);
        if (merge_cmd->parsed()) return run_merge(merge);
        if (fold_cmd->parsed()) return run_fold(fold);
        if (info_cmd->parsed()) return run_info(info_path);
        if (fit_cmd->parsed()) return run_fit_scaling(fit);
    } catch (const std::exception& e) {
        print_error(process_rank(), e.what());
        return exit_code_for(e);
    }
    return kExitFailure;
}
