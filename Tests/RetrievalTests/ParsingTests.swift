import Datasets
import TestSupport
import Testing
@testable import Retrieval

@Suite struct ParsingTests {
    @Test func similarityNamesRoundTrip() throws {
        for similarity in Similarity.allCases {
            #expect(try Similarity(name: similarity.name) == similarity)
            #expect(try Similarity(name: similarity.name.uppercased()) == similarity)
        }
        #expect(try Similarity(name: "Jensen-Shannon") == .jensenShannon)
        #expect(try Similarity(name: "reverse_kl") == .reverseKL)
    }

    @Test func unknownSimilarityListsValidNames() {
        #expect(throws: RetrievalError.unknownName(
            kind: "similarity", name: "foo",
            valid: ["dot", "cosine", "euclidean", "manhattan", "hamming", "kl", "reverse-kl", "js"])) {
            try Similarity(name: "foo")
        }
        let message = RetrievalError.unknownName(kind: "similarity", name: "foo", valid: ["dot", "cosine"]).description
        #expect(message == "unknown similarity \"foo\"; valid names: dot, cosine")
    }

    @Test func separationNamesAndParameters() throws {
        #expect(try Separation(name: "identity") == .identity)
        #expect(try Separation(name: "square") == .power(2))
        #expect(try Separation(name: "cube") == .power(3))
        #expect(try Separation(name: "power", power: 10) == .power(10))
        #expect(try Separation(name: "sqrt") == .sqrt)
        #expect(try Separation(name: "log") == .log)
        #expect(try Separation(name: "softmax", beta: 5) == .softmax(beta: 5))
        #expect(try Separation(name: "MAX") == .max)
        #expect(try Separation(name: "threshold", radius: 3) == .threshold(radius: 3))
        #expect(throws: RetrievalError.self) { try Separation(name: "power") }
        #expect(throws: RetrievalError.self) { try Separation(name: "threshold") }
        #expect(throws: RetrievalError.self) { try Separation(name: "threshold", radius: -1) }
        #expect(throws: RetrievalError.self) { try Separation(name: "softmax", beta: .nan) }
        #expect(throws: RetrievalError.unknownName(kind: "separation", name: "exp", valid: Separation.names)) {
            try Separation(name: "exp")
        }
    }

    @Test func descriptions() {
        #expect(Separation.square.description == "square")
        #expect(Separation.power(10).description == "power(10)")
        #expect(Separation.softmax(beta: 0.5).description == "softmax(β=0.5)")
        #expect(Corruption.gaussianNoise(sigma: 0.1).description == "gaussian(σ=0.1)")
        #expect(Similarity.reverseKL.description == "reverse-kl")
    }

    @Test func conventionAndCorruptionNames() throws {
        #expect(try DistanceConvention(name: "Inverse") == .inverse)
        #expect(throws: RetrievalError.self) { try DistanceConvention(name: "reciprocal") }
        #expect(try Corruption(name: "half") == .halfMask)
        #expect(try Corruption(name: "gaussian", parameter: 0.2) == .gaussianNoise(sigma: 0.2))
        #expect(try Corruption(name: "mask-fraction", parameter: 0.3) == .maskFraction(0.3))
        #expect(try Corruption(name: "random-mask", parameter: 0.4) == .randomPixelMask(probability: 0.4))
        #expect(throws: DatasetError.self) { try Corruption(name: "gaussian") }
        #expect(throws: DatasetError.self) { try Corruption(name: "mask-fraction", parameter: 1.5) }
        #expect(throws: DatasetError.self) { try Corruption(name: "blur", parameter: 1) }
    }
}
