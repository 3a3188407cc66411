/**
 * @module api/extra/quiz
 * The futures appropriateness test (P8): five questions on leverage, liquidation, funding, ADL and
 * the largest possible loss. Answers are checked here; a pass is journaled as the engine's
 * APPROPRIATENESS acknowledgement, which the policy gate reads when the venue requires it. A failed
 * attempt records nothing and says which answers were wrong, so it teaches before it is retaken.
 */
export interface QuizQuestion {
  readonly id: string;
  readonly text: string;
  readonly choices: readonly string[];
  /** Index of the right choice (never sent to clients). */
  readonly answer: number;
  readonly why: string;
}

export const QUIZ: readonly QuizQuestion[] = [
  {
    id: 'leverage', text: 'You open a 100x long. By how much must the price fall to wipe out your initial margin?',
    choices: ['About 10 %', 'About 1 %', 'About 0.1 %'], answer: 1,
    why: 'At 100x the initial margin is 1 % of the notional, so a 1 % fall loses all of it (less, after fees and maintenance).',
  },
  {
    id: 'liquidation', text: 'When is a position liquidated?',
    choices: ['When its margin balance falls to the maintenance margin', 'Only when the wallet balance reaches zero',
      'When the last traded price touches the entry price'], answer: 0,
    why: 'Liquidation starts at the maintenance margin, valued at the mark price, before the margin is gone.',
  },
  {
    id: 'funding', text: 'Who pays funding when the funding rate is positive?',
    choices: ['Shorts pay longs', 'Longs pay shorts', 'The exchange pays both'], answer: 1,
    why: 'A positive rate means the perpetual trades above the index; longs pay shorts every funding interval.',
  },
  {
    id: 'adl', text: 'What is auto-deleveraging (ADL)?',
    choices: ['A discount on fees', 'Profitable, highly leveraged positions closed against a bankrupt one when the insurance fund cannot cover it',
      'A way to raise your leverage automatically'], answer: 1,
    why: 'When the insurance fund cannot absorb a bankrupt position, the opposite side is closed at the bankruptcy price, ranked by profit and leverage.',
  },
  {
    id: 'max-loss', text: 'In isolated margin, what is the most you can lose on one position?',
    choices: ['The margin assigned to that position', 'Your whole wallet', 'Nothing, losses are insured'], answer: 0,
    why: 'Isolated margin bounds the loss to the position\'s own margin; cross margin puts the whole cross wallet at risk.',
  },
];

/** The questions as clients see them (no answers). */
export function quizForClients(): { id: string; text: string; choices: readonly string[] }[] {
  return QUIZ.map(({ id, text, choices }) => ({ id, text, choices }));
}

/** The wrong answers of an attempt (each with the explanation); empty when passed. */
export function gradeQuiz(answers: ReadonlyMap<string, number>): { id: string; why: string }[] {
  return QUIZ.filter((question) => answers.get(question.id) !== question.answer).map(({ id, why }) => ({ id, why }));
}
