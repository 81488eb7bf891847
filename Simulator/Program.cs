// The demo simulator: demo volunteers go on duty, wander, claim and complete; requests arrive near the demo
// families at a chosen rate. ./run.sh starts it when OUTREACH_SIMULATE=<requests per minute> is set.
//   dotnet Outreach.Simulator.dll [requests-per-minute]
//   OUTREACH_SIM_URL (default http://127.0.0.1:5080), OUTREACH_SIM_VOLUNTEERS (default 30),
//   Outreach__BootstrapAdmin__Login / __Password (the administrator that makes the volunteers' accounts).
using System.Runtime.InteropServices;
using Outreach.Simulator;

SimulatorOptions options;
try
{
    options = SimulatorOptions.FromEnvironment(args);
}
catch (ArgumentException error)
{
    await Console.Error.WriteLineAsync(error.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
// Ctrl-C and SIGTERM (run.sh stopping) end the loops; the volunteers then go off duty before the process exits.
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

using var simulation = new Simulation(options);
try
{
    await simulation.RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Stopped.
}
finally
{
    await simulation.GoOffDutyAsync();
}
return 0;
