namespace GrpcLoadLab.Common;

/// <summary>A TLS file that cannot be used; the message names the file and what is wrong, in one line.</summary>
internal sealed class TlsFileException(string message) : Exception(message);
