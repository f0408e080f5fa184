import { useEffect } from "react";
import type { BoardsState } from "../../shared/boards";

const LEAVE_QUESTION = "You have unsaved changes on this page. Leave them?";

/**
 * Asks before the page is left with unsaved edits: the browser's own prompt on reload or close,
 * and a confirmation before another board replaces the page's content.
 */
export function useLeaveGuard(dirty: boolean, boards: BoardsState): BoardsState {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent): void => {
      event.preventDefault();
      // Older browsers show the prompt only when a value is set.
      event.returnValue = "";
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  return {
    ...boards,
    select: (id) => {
      if (!dirty || window.confirm(LEAVE_QUESTION)) boards.select(id);
    },
  };
}
