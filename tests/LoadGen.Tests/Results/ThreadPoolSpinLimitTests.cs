using System.Globalization;
using System.Xml.Linq;
using GrpcLoadLab.LoadGen.Runner;

namespace GrpcLoadLab.LoadGen.Tests.Results;

public class ThreadPoolSpinLimitTests
{
    private const string Variable = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0x46", 70)]
    [InlineData("10", 16)]
    public void The_probe_reads_the_environment_as_the_runtime_does_in_hexadecimal(string value, int expected)
    {
        var before = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, value);
            Assert.Equal(expected, EnvironmentProbe.ThreadPoolSpinLimit());
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, before);
        }
    }

    [Fact]
    public void Without_the_variable_the_probe_reads_the_runtime_configuration_or_the_runtimes_default()
    {
        var before = Environment.GetEnvironmentVariable(Variable);
        try
        {
            Environment.SetEnvironmentVariable(Variable, "not hex");
            var configured = AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");

            var limit = EnvironmentProbe.ThreadPoolSpinLimit();

            Assert.Equal(configured is null ? EnvironmentProbe.DefaultThreadPoolSpinLimit : Convert.ToInt32(configured, CultureInfo.InvariantCulture), limit);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, before);
        }
    }

    [Fact]
    public void Loadgens_project_turns_the_spinning_off_in_its_runtime_configuration()
    {
        var project = XDocument.Load(Path.Combine(RepositoryFolder.Root, "src", "LoadGen", "LoadGen.csproj"));

        var option = project.Descendants("RuntimeHostConfigurationOption")
            .Single(o => (string?)o.Attribute("Include") == "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");

        Assert.Equal("0", (string?)option.Attribute("Value"));
    }
}
