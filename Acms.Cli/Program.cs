using Acms.Cli;
using Acms.Cli.Commands;
using Spectre.Console.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // let runs record themselves as cancelled and stop the embedded server cleanly
    cancel.Cancel();
};

var app = new CommandApp();
app.Configure(AcmsCommands.Configure);
return await app.RunAsync(args, cancel.Token);
