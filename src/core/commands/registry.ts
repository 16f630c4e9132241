import type { Command } from "../vocabulary.ts";
import { adminAdd, adminList, adminRemove } from "./admin.ts";
import { answer } from "./answer.ts";
import { chase } from "./chase.ts";
import { ask } from "./ask.ts";
import { deadlineAdd, deadlineEdit, deadlineList, deadlineMilestones, deadlineRemove } from "./deadline.ts";
import { digestOff, digestOn, digestPreview, digestStatus } from "./digest.ts";
import { edit } from "./edit.ts";
import { exportCommand } from "./export.ts";
import { helpCommand } from "./help.ts";
import { link, linkStatus, unlink } from "./link.ts";
import { list } from "./list.ts";
import { note } from "./note.ts";
import { search } from "./search.ts";
import { show } from "./show.ts";
import { rename } from "./rename.ts";
import { scorecard } from "./scorecard.ts";
import { reopen, withdraw } from "./status.ts";

/** The whole vocabulary, in the order help and the README list it. */
export const commands: readonly Command[] = [
  ask, answer, edit, note, chase, reopen, withdraw, show, list, search, scorecard,
  deadlineAdd, deadlineList, deadlineEdit, deadlineRemove, deadlineMilestones,
  digestOn, digestOff, digestStatus, digestPreview,
  exportCommand, rename, adminAdd, adminRemove, adminList,
  link, linkStatus, unlink,
  helpCommand(() => commands),
];
