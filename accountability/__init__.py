"""问责: 督办/交办 instructions, 约谈 and 问责 records, 回头看 spot checks, evidence-reuse flags."""
