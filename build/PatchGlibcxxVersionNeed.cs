// MSBuild inline task: marks one symbol-version requirement of an ELF64 shared library weak.
// ELF layout references: System V gABI and the LSB "Symbol Versioning" chapter
// (Elf64_Verneed / Elf64_Vernaux, VER_FLG_WEAK = 0x2).
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class PatchGlibcxxVersionNeed : Task
{
    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string Version { get; set; }
    /// <summary>Patch even when this machine's libstdc++ has the version (for output that may run elsewhere).</summary>
    public bool Always { get; set; }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        if (!Always && SystemLibstdcxxHas(Version))
            return true;
        foreach (var item in Files)
        {
            string path = item.GetMetadata("FullPath");
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                int changed = MarkWeak(elf, Version);
                if (changed > 0)
                {
                    string tmp = path + ".patching";
                    File.WriteAllBytes(tmp, elf);
                    File.Replace(tmp, path, null);
                    Log.LogMessage(MessageImportance.High, $"Nuclei: marked {Version} weak in {path} (older libstdc++, e.g. Debian 12's, lacks it)");
                }
            }
            catch (Exception e)
            {
                Log.LogWarning($"Nuclei: could not patch {path}: {e.Message}");
            }
        }
        return true;
    }

    static bool SystemLibstdcxxHas(string version)
    {
        foreach (var lib in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6" })
        {
            if (!File.Exists(lib)) continue;
            byte[] bytes = File.ReadAllBytes(lib);
            byte[] needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle) >= 0;
        }
        return false;
    }

    /// <returns>number of Vernaux entries changed (0 when already weak or absent)</returns>
    static int MarkWeak(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only little-endian ELF64 is supported");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = shoff + (long)i * shentsize;
            uint type = BitConverter.ToUInt32(elf, (int)sh + 4);
            if (type != ShtGnuVerneed) continue;
            long offset = BitConverter.ToInt64(elf, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(elf, (int)sh + 0x28);
            long strSh = shoff + (long)link * shentsize;
            long strOffset = BitConverter.ToInt64(elf, (int)strSh + 0x18);

            long vn = offset;
            while (true)
            {
                ushort cnt = BitConverter.ToUInt16(elf, (int)vn + 2);
                uint aux = BitConverter.ToUInt32(elf, (int)vn + 8);
                uint next = BitConverter.ToUInt32(elf, (int)vn + 12);
                long va = vn + aux;
                for (int k = 0; k < cnt; k++)
                {
                    ushort flags = BitConverter.ToUInt16(elf, (int)va + 4);
                    uint name = BitConverter.ToUInt32(elf, (int)va + 8);
                    uint vnaNext = BitConverter.ToUInt32(elf, (int)va + 12);
                    if (ReadCString(elf, strOffset + name) == version && (flags & VerFlgWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlgWeak)).CopyTo(elf, (int)va + 4);
                        changed++;
                    }
                    if (vnaNext == 0) break;
                    va += vnaNext;
                }
                if (next == 0) break;
                vn += next;
            }
        }
        return changed;
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < needle.Length && haystack[i + k] == needle[k]) k++;
            if (k == needle.Length) return i;
        }
        return -1;
    }

    static string ReadCString(byte[] b, long at)
    {
        int end = (int)at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
    }
}
