/**
 * What a terminal would show for the bytes written to it: enough of a VT100 for what readline and
 * the console write (text, CR, LF, cursor moves, line and screen clears), so a test can say what the
 * user sees instead of matching escape codes.
 */
export class TerminalModel {
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;

  write(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === "\x1b" && text[i + 1] === "[") {
        const m = /^\x1b\[(\??)([\d;]*)([A-Za-z])/.exec(text.slice(i));
        if (!m) continue;
        i += m[0].length - 1;
        if (m[1] === "?") continue;
        this.csi(m[3]!, m[2] === "" ? undefined : Number(m[2]!.split(";")[0]));
      } else if (ch === "\r") this.col = 0;
      // why: a terminal's output post-processing (ONLCR, which raw input mode leaves on) makes a newline also return the cursor.
      else if (ch === "\n") this.moveTo(this.row + 1, 0);
      else {
        const line = this.line();
        while (line.length < this.col) line.push(" ");
        line[this.col++] = ch;
      }
    }
  }

  /** The screen's lines, without trailing spaces or trailing empty lines. */
  lines(): string[] {
    const lines = this.rows.map((r) => r.join("").trimEnd());
    while (lines.length > 0 && lines.at(-1) === "") lines.pop();
    return lines;
  }

  /** Forgets the first `n` lines, as if they had scrolled away. */
  dropTop(n: number): void {
    this.rows.splice(0, n);
    this.row = Math.max(0, this.row - n);
  }

  /** The line the cursor is on, as shown. */
  current(): string {
    return this.line().join("").trimEnd();
  }

  private line(): string[] {
    while (this.rows.length <= this.row) this.rows.push([]);
    return this.rows[this.row]!;
  }

  private moveTo(row: number, col: number): void {
    this.row = Math.max(0, row);
    this.col = Math.max(0, col);
    this.line();
  }

  private csi(command: string, n: number | undefined): void {
    switch (command) {
      case "A":
        return this.moveTo(this.row - (n ?? 1), this.col);
      case "B":
        return this.moveTo(this.row + (n ?? 1), this.col);
      case "C":
        return this.moveTo(this.row, this.col + (n ?? 1));
      case "D":
        return this.moveTo(this.row, this.col - (n ?? 1));
      case "G":
        return this.moveTo(this.row, (n ?? 1) - 1);
      case "K": {
        const line = this.line();
        if ((n ?? 0) === 0) line.length = Math.min(line.length, this.col);
        else if (n === 1) line.fill(" ", 0, Math.min(line.length, this.col + 1));
        else line.length = 0;
        return;
      }
      case "J":
        if ((n ?? 0) === 0) {
          this.line().length = Math.min(this.line().length, this.col);
          this.rows.length = this.row + 1;
        }
        return;
    }
  }
}
