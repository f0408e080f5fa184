/** The board picker the project page and settings share: the context's board, else the first known. */
import { useEffect, useState, type ReactNode } from "react";
import { callResolver, getPageContext, type BoardSummary } from "./client";

export interface BoardsState {
  readonly boards: readonly BoardSummary[];
  readonly boardId: number | null;
  readonly error: string | null;
  readonly select: (boardId: number) => void;
}

export function useBoards(): BoardsState {
  const [boards, setBoards] = useState<readonly BoardSummary[]>([]);
  const [boardId, setBoardId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      const ctx = await getPageContext();
      const outcome = await callResolver("board/list", {});
      if (!outcome.ok) {
        setError(outcome.message);
        return;
      }
      setBoards(outcome.data);
      const first = ctx.boardId ?? outcome.data[0]?.boardId ?? null;
      if (first === null) {
        setError(
          "No board of this project is known yet. Open this page from a project whose board " +
            "Capacity split reads, or pick a board on the home page.",
        );
      }
      setBoardId(first);
    })();
  }, []);
  return { boards, boardId, error, select: setBoardId };
}

const boardName = (board: BoardSummary): string => board.name ?? `Board ${board.boardId}`;

/**
 * The board the page shows: plain text when there is only that one, else a select; a board that
 * is not among those known shows as such rather than as another board's name. Nothing while no
 * board is known (the page says what to do).
 */
export function BoardPicker({ state }: { state: BoardsState }): ReactNode {
  const known = state.boards.some((board) => board.boardId === state.boardId);
  const [only] = state.boards;
  if (state.boards.length === 0) return null;
  if (state.boards.length === 1 && only && known) {
    return (
      <p data-testid="board-name">
        Board: <strong>{boardName(only)}</strong>
      </p>
    );
  }
  return (
    <label style={{ maxWidth: 320 }}>
      Board
      <select
        value={known ? (state.boardId ?? "") : ""}
        onChange={(event) => state.select(Number(event.target.value))}
      >
        {!known && (
          <option value="" disabled>
            {state.boardId === null ? "Pick a board" : `Board ${state.boardId} (not found)`}
          </option>
        )}
        {state.boards.map((board) => (
          <option key={board.boardId} value={board.boardId}>
            {boardName(board)}
          </option>
        ))}
      </select>
    </label>
  );
}
