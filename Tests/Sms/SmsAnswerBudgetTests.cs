using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using Outreach.Database;
using Outreach.Grains;
using Outreach.Grains.Sms;
using Outreach.Sms;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Sms;

/// <summary>
/// The cap on "that code is not valid" answers per number, on an in-process silo with the real reply codes
/// (PostgreSQL) and a provider that records what it is asked to send (the provider's own protocol is tested end to end
/// in <see cref="SmsTests"/>): the cap holds while the budget can be asked, and when it cannot, the sender is answered
/// and the message is still handled (an invalid reply, not an error the provider would deliver again) — the budget only
/// saves texts.
/// </summary>
[Category(TestCategory.Grains)]
public sealed class SmsAnswerBudgetTests : IAsyncLifetime
{
    private readonly RecordingGateway _gateway = new();
    private readonly BudgetFault _fault = new();
    private OwnDatabaseCluster? _cluster;

    public async Task InitializeAsync()
    {
        var (gateway, fault) = (_gateway, _fault);
        _cluster = await OwnDatabaseCluster.StartAsync("smsbudget", (silo, connectionString) =>
        {
            silo.Services.AddSingleton(TestSecrets.PhoneKeys);
            silo.AddOutreachGrains(connectionString);
            silo.Services.AddSingleton<ISmsGateway>(gateway);
            // The budget's grain call fails while the fault is on, as a call to a silo going away would.
            silo.AddIncomingGrainCallFilter(context =>
                fault.Failing && context.InterfaceMethod?.DeclaringType == typeof(ISmsAnswerBudgetGrain)
                    ? throw new TimeoutException("the budget's silo did not answer (test fault)")
                    : context.Invoke());
        });
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task WrongCodes_AreAnsweredThreeTimes_AndOnceMore_WhenTheBudgetCannotBeAsked()
    {
        var phone = "+86139" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var inbox = _cluster!.Grains.GetGrain<ISmsInboxGrain>(0);

        for (var i = 0; i < 4; i++)
            Assert.Equal(InboundOutcome.Invalid, await inbox.ReceiveAsync(new InboundSms(phone, "抢 000000")));
        Assert.Equal(3, _gateway.InvalidAnswersTo(phone)); // the fourth is within the cap's window: not answered

        _fault.Failing = true;
        Assert.Equal(InboundOutcome.Invalid, await inbox.ReceiveAsync(new InboundSms(phone, "抢 000000")));
        Assert.Equal(4, _gateway.InvalidAnswersTo(phone)); // the budget could not be asked: answered, not failed

        _fault.Failing = false;
        Assert.Equal(InboundOutcome.Invalid, await inbox.ReceiveAsync(new InboundSms(phone, "抢 000000")));
        Assert.Equal(4, _gateway.InvalidAnswersTo(phone)); // asked again: still spent
    }

    private sealed class BudgetFault
    {
        public volatile bool Failing;
    }

    private sealed class RecordingGateway : ISmsGateway
    {
        private readonly ConcurrentQueue<(string Phone, SmsKind Kind)> _sent = new();

        public int InvalidAnswersTo(string phone) => _sent.Count(m => m.Phone == phone && m.Kind == SmsKind.ReplyInvalid);

        public Task<SmsSendResult> SendAsync(string phone, SmsMessage message, CancellationToken cancellationToken)
        {
            _sent.Enqueue((phone, message.Kind));
            return Task.FromResult(new SmsSendResult(true, "OK"));
        }
    }
}
