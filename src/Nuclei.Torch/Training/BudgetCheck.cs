using Nuclei.Core;

namespace Nuclei.Torch.Training;

/// <summary>
/// Refuses a time budget too short to learn in. After the first <see cref="ProbeUpdates"/> optimizer updates of a run
/// with [train] time_budget_minutes, the speed measured so far (from the first update on, so set-up is not counted) says
/// how many updates the whole budget allows; fewer than [train] min_budget_updates stops the run with an error naming
/// the budget that would allow them. A budget spent before those first updates were timed is judged by the updates it
/// allowed. The check comes before the first epoch ends, so a refused run leaves no model behind, unless its epochs are
/// shorter than the probe.
/// </summary>
internal sealed class BudgetCheck(TimeBudget budget, int minUpdates, long updatesBefore)
{
    /// <summary>Updates timed before deciding: enough to smooth the first steps' warm-up, few enough to decide in seconds.</summary>
    public const int ProbeUpdates = 10;
    bool _decided = !budget.IsSet || minUpdates <= 0;
    double _firstUpdateSeconds;

    /// <summary>The budget ran out before the check could time its updates: too short when fewer than the minimum were made.</summary>
    public void AtBudgetEnd(long updatesThisRun, double elapsedSeconds)
    {
        if (_decided) return;
        _decided = true;
        if (updatesBefore + updatesThisRun >= minUpdates) return;
        double perUpdate = elapsedSeconds / Math.Max(1, updatesThisRun);
        Refuse(updatesBefore + updatesThisRun, perUpdate, (minUpdates - updatesBefore) * perUpdate);
    }

    /// <param name="updatesThisRun">optimizer updates made by this invocation so far</param>
    /// <param name="elapsedSeconds">the run's elapsed time as the budget counts it</param>
    public void After(long updatesThisRun, double elapsedSeconds)
    {
        if (_decided) return;
        if (updatesThisRun == 1) _firstUpdateSeconds = elapsedSeconds;
        if (updatesThisRun < ProbeUpdates) return;
        _decided = true;
        double perUpdate = (elapsedSeconds - _firstUpdateSeconds) / (updatesThisRun - 1);
        double possible = updatesBefore + updatesThisRun + Math.Max(0, budget.Seconds - elapsedSeconds) / Math.Max(perUpdate, 1e-9);
        if (possible >= minUpdates) return;
        Refuse(possible, perUpdate, elapsedSeconds + (minUpdates - updatesBefore - updatesThisRun) * perUpdate);
    }

    void Refuse(double possible, double perUpdate, double neededSeconds) =>
        throw new NucleiInputException("configuration", FormattableString.Invariant(
            $"[train] time_budget_minutes = {budget.Minutes} allows about {possible:0} optimizer updates at the speed measured here ({perUpdate:0.00} s each), fewer than the {minUpdates} it takes to learn anything ([train] min_budget_updates): give at least {Math.Ceiling(neededSeconds / 60):0} minutes, or make steps cheaper ([param] width, [train] n_batch)"));
}
