/** Length limits of design.md §2, in characters (Unicode code points after NFC). */
export const limits = {
  questionText: 1000,
  addressee: 200,
  answerText: 2000,
  source: 500,
  noteText: 2000,
  chaseText: 2000,
  contact: 200,
  reason: 500,
  deadlineTitle: 200,
  docketName: 100,
  place: 200,
  tag: 50,
  tags: 10,
  searchWords: 200,
  commandText: 6000,
} as const;
