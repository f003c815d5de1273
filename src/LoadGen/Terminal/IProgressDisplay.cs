namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>Shows a run's progress while it goes on; made by <see cref="ProgressDisplay.Create"/>.</summary>
public interface IProgressDisplay
{
    /// <summary>Shows the latest state; called once a second from the engine's ticker thread.</summary>
    void Update(LiveSnapshot snapshot);

    /// <summary>Ends the display, leaving its last state on screen; returns once nothing more will be written.</summary>
    void Complete();
}
