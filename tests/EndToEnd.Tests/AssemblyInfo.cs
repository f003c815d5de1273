// The tests start real processes and load them: run one at a time, so that they do not starve each other on two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
