import Testing
import VigilIngest

/// The bounded count of records in flight shared by the pipeline and the detection queue.
@Suite struct RecordBudgetTests {
    @Test func takesUpToTheLimitAndGivesBack() {
        let budget = RecordBudget(limit: 100)
        #expect(budget.take(60) == 60)
        #expect(budget.take(40) == 100)
        #expect(budget.take(1) == nil)
        #expect(budget.count == 100)
        #expect(budget.give(60) == 40)
        #expect(budget.take(61) == nil)
        #expect(budget.take(60) == 100)
        budget.give(100)
        #expect(budget.count == 0)
    }

    @Test func aBatchLargerThanTheLimitPassesAloneWhenNothingIsInFlight() {
        let budget = RecordBudget(limit: 10)
        #expect(budget.take(50) == 50)
        #expect(budget.take(1) == nil)
        budget.give(50)
        #expect(budget.take(50) == 50)
    }

    @Test func concurrentTakersNeverPassTheLimit() async {
        let budget = RecordBudget(limit: 1000)
        let taken = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine = 0
                    for _ in 0..<1000 where budget.take(7) != nil { mine += 7 }
                    return mine
                }
            }
            return await group.reduce(0, +)
        }
        #expect(taken <= 1000)
        #expect(taken == budget.count)
    }
}
