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
      if (first === null) setError("No boards of this project are known yet.");
      setBoardId(first);
    })();
  }, []);
  return { boards, boardId, error, select: setBoardId };
}

export function BoardPicker({ state }: { state: BoardsState }): ReactNode {
  return (
    <label style={{ maxWidth: 320 }}>
      Board
      <select
        value={state.boardId ?? ""}
        onChange={(event) => state.select(Number(event.target.value))}
        disabled={state.boards.length === 0}
      >
        {state.boards.map((board) => (
          <option key={board.boardId} value={board.boardId}>
            {board.name ?? `Board ${board.boardId}`}
          </option>
        ))}
      </select>
    </label>
  );
}
