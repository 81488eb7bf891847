using Outreach.Grains.Storage;
using Outreach.Tests.Infrastructure;

namespace Outreach.Tests.Unit;

[Category(TestCategory.Unit)]
public sealed class CoalescedWriterTests
{
    [Fact]
    public async Task WriteAsync_AfterAWriteThatFinishedSynchronously_WritesAgain()
    {
        var writes = 0;
        var writer = new CoalescedWriter(() =>
        {
            writes++;
            return Task.CompletedTask; // what a fast database's answer can look like to the caller
        });

        await writer.WriteAsync();
        await writer.WriteAsync();
        await writer.WriteAsync();

        Assert.Equal(3, writes);
    }

    [Fact]
    public async Task WriteAsync_WhileAWriteIsInFlight_SharesOneMoreWrite_ThatStartsAfterTheChange()
    {
        var gates = new List<TaskCompletionSource>();
        var writer = new CoalescedWriter(() =>
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            gates.Add(gate);
            return gate.Task;
        });

        var first = writer.WriteAsync();
        var second = writer.WriteAsync();
        var third = writer.WriteAsync();
        Assert.Single(gates);

        gates[0].SetResult();
        await Task.Delay(50);
        Assert.Equal(2, gates.Count);      // the two changes made during the first write share the second
        Assert.False(second.IsCompleted);  // and their callers wait for it
        gates[1].SetResult();
        await Task.WhenAll(first, second, third);

        Assert.Equal(2, gates.Count);
    }

    [Fact]
    public async Task WriteAsync_WhenTheWriteFails_TellsTheCaller_AndTheNextCallWritesAgain()
    {
        var fail = true;
        var writes = 0;
        var writer = new CoalescedWriter(async () =>
        {
            await Task.Yield();
            writes++;
            if (fail)
                throw new InvalidOperationException("database down");
        });

        await Assert.ThrowsAsync<InvalidOperationException>(writer.WriteAsync);
        fail = false;
        await writer.WriteAsync();

        Assert.Equal(2, writes);
    }
}
