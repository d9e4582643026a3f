// Kernels stackalloc scratch tiles that they always overwrite before reading; zeroing them first is wasted work.
[module: System.Runtime.CompilerServices.SkipLocalsInit]
