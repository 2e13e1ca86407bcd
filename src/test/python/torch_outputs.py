"""PyTorch's probabilities for rows of features, by the network the weights file fits:
python3 torch_outputs.py WEIGHTS HIDDEN FEATURES.json; prints a JSON array of rows (TorchRoundTripTest)."""
import json, sys, torch, safetensors.torch as st

w = st.load_file(sys.argv[1])
x = torch.tensor(json.load(open(sys.argv[3])), dtype=w["0.bias"].dtype)
net = torch.nn.Sequential(torch.nn.Linear(x.shape[1], int(sys.argv[2])), torch.nn.ReLU(),
                          torch.nn.Linear(int(sys.argv[2]), w["2.bias"].shape[0])).to(w["0.bias"].dtype)
net.load_state_dict(w)
with torch.no_grad():
    print(json.dumps(net(x).softmax(1).tolist()))
